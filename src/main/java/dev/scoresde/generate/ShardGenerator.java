package dev.scoresde.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Samples one shard of a bulk generation run (see {@link ShardPlan}) and writes it as
 * {@code <output>/shard-i-of-n/}: one file per sample plus {@code manifest.json}. The shard is built in a
 * temporary folder and renamed when complete, so a folder of that name is always whole; a rerun finds it and
 * skips the shard. Sample k starts from prior noise and runs the sampler on its own random stream (seed, k)
 * ({@link Rng}), so its result depends on neither the shard nor the rest of its batch.
 */
public final class ShardGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(ShardGenerator.class);
  static final String MANIFEST = "manifest.json";
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** What a call did: generated the shard now, or found it finished by an earlier run. */
  public record Result(boolean skipped, Path folder, ShardManifest manifest) {}

  private final LoadedModel model;
  private final SamplerSettings settings;

  /** @param settings compatible with the model's SDE (see {@link SamplerSettings#requireCompatible}) */
  public ShardGenerator(LoadedModel model, SamplerSettings settings) {
    this.model = model;
    this.settings = settings.requireCompatible(model.card().sde().toSde().kind());
  }

  /**
   * @param seed the run's seed
   * @param classLabel a fixed class for a class-conditional model, or null to cycle k mod K
   */
  public Result generate(ShardPlan plan, long seed, Integer classLabel, Path output) throws IOException {
    ModelCard card = model.card();
    int k = card.network().numClasses();
    if (classLabel != null && (classLabel < 0 || classLabel >= Math.max(k, 1) || k == 0)) {
      throw new IllegalArgumentException("class label " + classLabel + " does not fit model " + card.name()
          + (k == 0 ? " (unconditional)" : " (" + k + " classes)"));
    }
    ShardManifest.Run run = new ShardManifest.Run(card.name(), model.folder().toString(),
        card.provenance() == null ? 0 : card.provenance().steps(), plan.count(), plan.batchSize(), plan.shards(), seed,
        classLabel, settings.fields());
    Path done = output.resolve(plan.folderName());
    if (Files.isRegularFile(done.resolve(MANIFEST))) {
      return skip(done, run);
    }
    Files.createDirectories(output);
    removeStaleTemporaries(output, plan.folderName());
    Path tmp = output.resolve(".tmp-" + plan.folderName() + "-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    try {
      ShardManifest manifest = sample(plan, run, tmp);
      Files.write(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
      try {
        Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        LOG.info("{} was finished by another process meanwhile", done);
        return skip(done, run);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the output folder " + output + " cannot rename atomically", e);
      }
      LOG.info("shard {}: samples [{}, {}) in {} ({} NFE, {} s)", plan.shard(), plan.first(), plan.end(), done,
          manifest.nfe(), String.format("%.1f", manifest.wallTimeSeconds()));
      return new Result(false, done, manifest);
    } finally {
      deleteTree(tmp);
    }
  }

  private ShardManifest sample(ShardPlan plan, ShardManifest.Run run, Path dir) throws IOException {
    long t0 = System.nanoTime();
    Sde sde = model.card().sde().toSde();
    var shape = model.card().data();
    List<String> files = new ArrayList<>();
    long nfe = 0;
    for (int b = plan.firstBatch(); b < plan.endBatch(); b++) {
      int[] range = plan.batchRange(b);
      int n = range[1] - range[0];
      try (NDManager scope = model.manager().newSubManager()) {
        Rng rng = Rng.of(run.seed(), range[1]).slice(range[0], range[1]);
        NDArray xT = sde.priorSample(scope, shape.batchShape(n), rng);
        SampleResult r = settings.toSampler().sample(score(scope, range, run.classLabel()), sde, xT,
            SamplingContext.of(rng));
        nfe += r.nfe();
        if (shape.isImage()) {
          files.addAll(SampleFiles.writePngs(r.samples(), shape, model.card().valueRange(), range[0], dir));
        } else {
          SampleFiles.appendCsv(r.samples(), range[0], dir);
        }
      }
      LOG.info("shard {}: batch {} of [{}, {}) done", plan.shard(), b, plan.firstBatch(), plan.endBatch());
    }
    if (!shape.isImage()) {
      files.add(SampleFiles.CSV);
    }
    return new ShardManifest(run, plan.shard(), plan.first(), plan.end(), files, nfe, (System.nanoTime() - t0) / 1e9,
        Instant.now().toString());
  }

  /** Class-conditional models get label {@code classLabel} or k mod K for sample k; others are unchanged. */
  private ScoreModel score(NDManager scope, int[] range, Integer classLabel) {
    NetworkScoreModel score = model.scoreModel();
    int k = model.card().network().numClasses();
    if (k == 0) {
      return score;
    }
    int[] labels = new int[range[1] - range[0]];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = classLabel != null ? classLabel : (range[0] + i) % k;
    }
    return score.withLabels(scope.create(labels));
  }

  private static Result skip(Path done, ShardManifest.Run run) throws IOException {
    ShardManifest existing = JSON.readValue(done.resolve(MANIFEST).toFile(), ShardManifest.class);
    if (!run.equals(existing.run())) {
      throw new IllegalStateException(done + " holds a shard of another run (" + existing.run() + "), not of "
          + run + "; choose another output folder");
    }
    LOG.info("{} is already complete: skipped", done);
    return new Result(true, done, existing);
  }

  /** Leftovers of a crashed attempt at this shard (never another shard's work in progress). */
  private static void removeStaleTemporaries(Path output, String shardName) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(output, ".tmp-" + shardName + "-*")) {
      for (Path p : s) {
        LOG.info("removing {} left by an interrupted run", p);
        deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
