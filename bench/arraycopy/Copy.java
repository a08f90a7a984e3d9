// bench/arraycopy/Copy.java: copy.mica's measurements in Java (long[] for Mica's
// 64-bit int): an element loop against System.arraycopy, ArrayList.add(0, x).
//   java Copy.java [N] [ROUNDS]
import java.util.ArrayList;

public class Copy {
    static void loopCopy(long[] src, int sp, long[] dst, int dp, int n) {
        for (int i = 0; i < n; i++) dst[dp + i] = src[sp + i];
    }

    static void report(String what, long ns, long units) {
        System.out.println(String.format("%-28s %8.3f ns", what, (double) ns / units));
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long[] src = new long[n], dst = new long[n];
        for (int i = 0; i < n; i++) src[i] = i * 7L;
        long check = 0;
        for (int pass = 0; pass < 2; pass++) {
            long t = System.nanoTime();
            for (int r = 0; r < rounds; r++) loopCopy(src, 0, dst, 0, n);
            long loopNs = System.nanoTime() - t;
            check += dst[n - 1];
            t = System.nanoTime();
            for (int r = 0; r < rounds; r++) System.arraycopy(src, 0, dst, 0, n);
            long copyNs = System.nanoTime() - t;
            check += dst[n - 1];
            long shorts = (long) rounds * (n / 8);
            t = System.nanoTime();
            for (long r = 0; r < shorts; r++) loopCopy(src, (int) (r & 1023), dst, 8, 8);
            long shortLoopNs = System.nanoTime() - t;
            t = System.nanoTime();
            for (long r = 0; r < shorts; r++) System.arraycopy(src, (int) (r & 1023), dst, 8, 8);
            long shortCopyNs = System.nanoTime() - t;
            check += dst[15];
            ArrayList<Long> l = new ArrayList<>();
            t = System.nanoTime();
            for (int i = 0; i < 20000; i++) l.add(0, (long) i);
            long insertNs = System.nanoTime() - t;
            check += l.get(0);
            if (pass == 1) {
                report("loop, per element", loopNs, (long) rounds * n);
                report("Arrays.copy, per element", copyNs, (long) rounds * n);
                report("loop of 8, per copy", shortLoopNs, shorts);
                report("Arrays.copy of 8, per copy", shortCopyNs, shorts);
                report("List.insert(0, x), per insert", insertNs, 20000);
            }
        }
        System.out.println("check " + check);
    }
}
