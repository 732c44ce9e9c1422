package dev.scoresde.train;

import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
import dev.scoresde.nn.Presets;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.ImageArrayData;
import dev.scoresde.train.loss.LossKind;
import dev.scoresde.train.loss.LossSettings;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.optim.AdamSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Training throughput and peak memory of the default jobs' networks (issue 4, item 7): for each preset and
 * batch size, the real {@link Trainer} step (loss, backward, clipping, Adam, EMA) on synthetic images of the
 * job's shape, timed from the end of the second step to the end of the last, and the process's peak resident
 * memory during the run (Linux VmHWM, reset before each run through /proc/self/clear_refs). Not a test. Run with:
 * <pre>
 * ./mvnw -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp target/classes:$(cat cp.txt) dev.scoresde.train.TrainingBench
 * </pre>
 */
public final class TrainingBench {
  private static final int[] BATCHES = {16, 32, 64, 128};
  /** Images timed per run (after two warm-up steps). */
  private static final int IMAGES = 640;

  private TrainingBench() {}

  /** One benchmarked job: its network, SDE and objective as in jobs/*.yml. */
  record Case(String name, NetworkSpec spec, Sde sde, LossSettings loss) {}

  static List<Case> cases() {
    LossSettings vp = new LossSettings(LossKind.DSM, Reduction.MEAN, false, 1e-5, 0.15, 0.01);
    LossSettings ve = new LossSettings(LossKind.DSM, Reduction.SUM, false, 1e-5, 0, 0.01);
    LossSettings classifier = new LossSettings(LossKind.CLASSIFIER, Reduction.MEAN, false, 1e-5, 0, 0.01);
    NetworkSpec photos = NetworkSpec.ddpmpp().channels(3).imageSize(32).nf(32).chMult(1, 2, 2).numResBlocks(2)
        .attnResolutions(8).dropout(0.1).build();
    return List.of(
        new Case("ddpmpp-fmnist (VP, class-conditional)", Presets.get("ddpmpp-fmnist"), VpSde.paper(), vp),
        new Case("ncsnpp-fmnist (VE)", unconditional(Presets.get("ncsnpp-fmnist")), VeSde.paper(), ve),
        new Case("classifier-fmnist (VE)", Presets.get("classifier-fmnist"), VeSde.paper(), classifier),
        new Case("photos ddpmpp (VP, RGB 32²)", photos, VpSde.paper(), new LossSettings(LossKind.DSM, Reduction.MEAN, false, 1e-5, 0, 0.01)));
  }

  /** The spec without class conditioning (the VE job trains an unconditional NCSN++). */
  static NetworkSpec unconditional(NetworkSpec s) {
    return s.toBuilder().numClasses(0).build();
  }

  public static void main(String[] args) throws IOException {
    System.out.printf(Locale.ROOT, "load average %.1f on %d cores; libtorch intra-op threads: %s%n", loadAverage(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
    System.out.println("| network | params | batch | train img/s | step ms | peak RSS MB | RSS before MB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Case c : cases()) {
      if (args.length > 0 && Stream.of(args).noneMatch(c.name()::startsWith)) {
        continue;
      }
      for (int batch : BATCHES) {
        run(c, batch);
      }
    }
    System.out.printf(Locale.ROOT, "load average at the end %.1f%n", loadAverage());
  }

  private static void run(Case c, int batch) throws IOException {
    int steps = 2 + Math.max(3, IMAGES / batch);
    ImageArrayData data = synthetic(c.spec(), 4 * batch);
    Path dir = Files.createTempDirectory("training-bench");
    TrainingJob job = new TrainingJob("bench", c.spec(), c.sde(), c.loss(), new AdamSettings(2e-4, 0.9, 0.999, 1e-8,
        100, 1.0), 0.999, true, new TrainerSettings(steps, batch, 1, 1_000_000, 1_000_000, 1, 0, 1, 1), dir, false);
    long[] marks = new long[2];
    System.gc();
    long before = procStatus("VmRSS");
    resetPeak();
    new Trainer(job, data, NetworkFactory.NETWORKS, new SimpleMeterRegistry(), null, (step, loss) -> {
      if (step == 2) {
        marks[0] = System.nanoTime();
      } else if (step == steps) {
        marks[1] = System.nanoTime();
      }
    }).run();
    long peak = procStatus("VmHWM");
    double seconds = (marks[1] - marks[0]) / 1e9;
    int timed = steps - 2;
    long params = Networks.parameterCount(Networks.create(c.spec()));
    System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.0f | %.0f | %.0f |%n", c.name(), params, batch,
        timed * batch / seconds, 1000 * seconds / timed, peak / 1024.0, before / 1024.0);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Random 8-bit images of the spec's shape with random labels (throughput does not depend on content). */
  static ImageArrayData synthetic(NetworkSpec spec, int count) {
    int per = spec.channels() * spec.imageSize() * spec.imageSize();
    byte[] pixels = new byte[count * per];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    int classes = Math.max(spec.numClasses(), 10);
    int[] labels = new int[count];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      names.add("class " + k);
    }
    for (int i = 0; i < count; i++) {
      labels[i] = random.nextInt(classes);
    }
    return new ImageArrayData(pixels, labels, spec.channels(), spec.imageSize(), spec.imageSize(), ValueRange.SYMMETRIC,
        names, "synthetic", 1);
  }

  /** Resets the kernel's peak-RSS mark of this process (Linux ≥ 4.0); a no-op elsewhere. */
  private static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux: the peak column is then the process-wide peak
    }
  }

  /** A /proc/self/status field in kB, or −1. */
  private static long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
