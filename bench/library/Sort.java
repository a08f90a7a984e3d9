// Sorts a million pseudo-random longs (the LCG of sort.mica).
public class Sort {
    public static void main(String[] args) {
        int n = 1000000;
        long[] a = new long[n];
        long x = 42;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            a[i] = x >>> 33;
        }
        java.util.Arrays.sort(a);
        System.out.println(a[0] + " " + a[n / 2] + " " + a[n - 1]);
    }
}
