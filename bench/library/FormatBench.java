// String.format in a loop (as format.mica).
public class FormatBench {
    public static void main(String[] args) {
        long total = 0;
        for (long i = 0; i < 300000; i++) {
            String s = String.format("%d:%.3f:%s|%5d", i, i * 0.5, "abc", i % 1000);
            total += s.length();
        }
        System.out.println(total);
    }
}
