package dev.scoresde.checkpoint.torch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the valid fixtures, of their data.pkl and of the whole zip: every outcome must be a checkpoint
 * whose tensors read (or refuse) cleanly, or an IOException; never another exception, an error or a hang.
 */
class TorchCheckpointFuzzTest {
  static final String[] FIXTURES = {"tensors.pth", "score_sde.pth"};
  /** Tensors with more elements are only checked for their reported size, not read (reading allocates numel). */
  static final long MAX_READ = 1 << 22;
  @TempDir Path dir;
  private int files;
  private int opened;
  private int refused;

  @Test
  void mutatedPicklesAndZipsOnlyFailWithIOExceptions() throws IOException {
    long start = System.nanoTime();
    for (String fixture : FIXTURES) {
      Map<String, byte[]> entries = TorchFiles.entries(TorchFiles.fixture(fixture));
      String pickleName = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
      byte[] pickle = entries.get(pickleName);
      byte[] zip = Files.readAllBytes(TorchFiles.fixture(fixture));
      Random random = new Random(fixture.hashCode());
      for (int cut = 0; cut < pickle.length; cut += 5) {
        check(fixture + " data.pkl cut at " + cut, withPickle(entries, pickleName, Arrays.copyOf(pickle, cut)));
      }
      for (int i = 0; i < 3000; i++) {
        StringBuilder what = new StringBuilder(fixture + " data.pkl #" + i + ":");
        check(what.toString(), withPickle(entries, pickleName, mutate(pickle, random, what)));
      }
      for (int i = 0; i < 2000; i++) {
        StringBuilder what = new StringBuilder(fixture + " zip #" + i + ":");
        check(what.toString(), mutate(zip, random, what));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("fuzz: %d files, %d opened, %d refused, %.1f s%n", files, opened, refused, seconds);
    assertTrue(opened > 100 && refused > 1000, opened + " opened, " + refused + " refused");
  }

  /** One to three random edits of {@code data}, described in {@code what}. */
  static byte[] mutate(byte[] data, Random random, StringBuilder what) {
    byte[] out = data;
    for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
      int at = random.nextInt(out.length);
      int length = 1 + random.nextInt(Math.min(64, out.length - at));
      switch (random.nextInt(5)) {
        case 0 -> {
          out = out.clone();
          out[at] ^= (byte) (1 << random.nextInt(8));
          what.append(" flip@").append(at);
        }
        case 1 -> {
          out = out.clone();
          int[] special = {0, 0xff, 0x7f, 0x80, random.nextInt(256)};
          out[at] = (byte) special[random.nextInt(special.length)];
          what.append(" set@").append(at);
        }
        case 2 -> {
          out = Arrays.copyOf(out, at);
          what.append(" cut@").append(at);
        }
        case 3 -> {
          byte[] shorter = new byte[out.length - length];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + length, shorter, at, out.length - at - length);
          out = shorter;
          what.append(" delete@").append(at).append('+').append(length);
        }
        default -> {
          byte[] longer = new byte[out.length + length];
          System.arraycopy(out, 0, longer, 0, at + length);
          System.arraycopy(out, at, longer, at + length, out.length - at);
          out = longer;
          what.append(" duplicate@").append(at).append('+').append(length);
        }
      }
      if (out.length == 0) {
        break;
      }
    }
    return out;
  }

  static byte[] withPickle(Map<String, byte[]> entries, String pickleName, byte[] pickle) {
    Map<String, byte[]> copy = new LinkedHashMap<>(entries);
    copy.put(pickleName, pickle);
    return TorchFiles.zip(copy, false);
  }

  private void check(String what, byte[] file) throws IOException {
    Path path = Files.write(dir.resolve("fuzz-" + files++ + ".pth"), file);
    try (TorchCheckpoint c = TorchCheckpoint.open(path)) {
      opened++;
      readAll(c.root());
    } catch (IOException e) {
      refused++;
    } catch (Throwable t) {
      fail(what + " threw " + t, t);
    }
    Files.delete(path);
  }

  /** Visits every value once (the result may share values) and reads every tensor. */
  private static void readAll(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Object> todo = new ArrayList<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      Object v = todo.remove(todo.size() - 1);
      if (v == null || !seen.add(v)) {
        continue;
      }
      if (v instanceof Map<?, ?> m) {
        todo.addAll(m.keySet());
        todo.addAll(m.values());
      } else if (v instanceof Collection<?> l) {
        todo.addAll(l);
      } else if (v instanceof TorchTensor t) {
        read(t);
      }
    }
  }

  private static void read(TorchTensor t) {
    assertTrue(t.numel() >= 0 && t.toString().startsWith("tensor "));
    if (t.numel() > MAX_READ) {
      return;
    }
    try {
      t.toFloatArray();
      t.toDoubleArray();
      if (!t.dtype().isFloatingPoint()) {
        t.toLongArray();
      }
    } catch (IOException expected) {
      // a refusal is a fine outcome
    }
  }
}
