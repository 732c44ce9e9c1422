package dev.scoresde.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes the use-after-free that {@link Scalars} avoids: runs a GC (which lets the Cleaner free the direct
 * buffers of closed from_blob arrays) and then allocates NaN-filled direct buffers of many small sizes, which
 * the native allocator places in the freed blocks. A graph that still reads a freed buffer then reads NaN.
 */
public final class GcPoison {
  private static final List<ByteBuffer> KEPT = new ArrayList<>();
  private static final int QUIET_NAN = 0x7fc00000;

  private GcPoison() {}

  public static synchronized void collectAndPoison() {
    System.gc();
    for (int size = 4; size <= 1 << 16; size *= 2) {
      for (int extra = 0; extra < 4; extra++) {
        ByteBuffer b = ByteBuffer.allocateDirect(size + 4 * extra).order(ByteOrder.nativeOrder());
        while (b.remaining() >= 4) {
          b.putInt(QUIET_NAN);
        }
        KEPT.add(b);
      }
    }
    if (KEPT.size() > 2000) {
      KEPT.subList(0, 1000).clear(); // bounded: at most ~2000 buffers (about 20 MB) stay reachable
    }
  }
}
