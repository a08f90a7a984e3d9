// Builds a million-entry HashMap<Long, Long>, then reads every key back.
import java.util.HashMap;

public class HashMapBench {
    public static void main(String[] args) {
        int n = 1000000;
        HashMap<Long, Long> m = new HashMap<>();
        for (long i = 0; i < n; i++) m.put(i * 7, i);
        long sum = 0;
        for (long i = 0; i < n; i++) sum += m.get(i * 7);
        System.out.println(m.size() + " " + sum);
    }
}
