// Builds a million-entry TreeMap<Long, Long> from pseudo-random keys, then asks
// 200000 ceiling queries (as treemap.mica).
import java.util.TreeMap;

public class TreeMapBench {
    public static void main(String[] args) {
        int n = 1000000;
        TreeMap<Long, Long> m = new TreeMap<>();
        long x = 7;
        for (long i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            m.put((x >>> 33) % 100000000, i);
        }
        long sum = 0;
        for (long q = 0; q < 200000; q++) sum += m.ceilingKey(q * 400);
        System.out.println(m.size() + " " + sum);
    }
}
