package dev.scoresde.report;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.eval.EvalClassifier;
import dev.scoresde.eval.Evaluation;
import dev.scoresde.eval.EvaluationReport;
import dev.scoresde.eval.EvaluationSettings;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.ImageArrayData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The image half of the quality-per-NFE benchmark (issue 6): the evaluation command's Fréchet distance (eval-CNN
 * features, against N test images, next to the train/test floor at the same N) of a shipped Fashion-MNIST model
 * for every sampler budget of {@link SolverBenchmark#entries()}, all from the same seed. The paper's samplers
 * (Euler–Maruyama, PC) cost 1000–2000 network evaluations per image, so they may run on fewer images
 * ({@code slowN}); each row carries its own N and floor, and FD is only compared between rows of equal N.
 */
public final class ImageSolverBenchmark {
  private final Path model;
  private final int n;
  private final int slowN;
  private final double guidance;
  private final Predicate<String> include;
  private final PrintStream out;

  /**
   * @param guidance classifier-free guidance weight for class-conditional samples (labels i mod 10); a negative
   *     value samples unconditionally (the "no label" token)
   * @param include which entries to run: tested on the family name and on {@code family@steps} (so
   *     {@code "PC (RD + Langevin)@1000"} picks one budget of a family)
   */
  public ImageSolverBenchmark(Path model, int n, int slowN, double guidance, Predicate<String> include,
      PrintStream out) {
    this.model = model;
    this.n = n;
    this.slowN = slowN;
    this.guidance = guidance;
    this.include = include;
    this.out = out;
  }

  /**
   * One result: FD (± its bootstrap s.e. over the samples) and its floor at this row's N, class accuracy (NaN
   * unconditional), NFE and wall time.
   */
  public record Row(String family, String label, int n, double nfe, double fd, double fdError, double floor,
      double classAccuracy, double seconds) {
    String markdown() {
      String accuracy = Double.isNaN(classAccuracy) ? "—" : String.format(Locale.ROOT, "%.1f %%", 100 * classAccuracy);
      return String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.3f ± %.3f | %.3f | %.1f | %s | %.0f |", family,
          label, n, nfe, fd, fdError, floor, fd / floor, accuracy, seconds);
    }

    /** A row back from its printed line ({@link #markdown}), or null for any other line. */
    static Row parse(String line) {
      String[] f = line.split("\\|");
      if (f.length < 10 || !f[3].trim().matches("\\d+") || !f[5].contains("±")) {
        return null;
      }
      String[] fd = f[5].split("±");
      String accuracy = f[8].trim().replace("%", "").trim();
      return new Row(f[1].trim(), f[2].trim(), Integer.parseInt(f[3].trim()), Double.parseDouble(f[4].trim()),
          Double.parseDouble(fd[0].trim()), Double.parseDouble(fd[1].trim()), Double.parseDouble(f[6].trim()),
          accuracy.equals("—") ? Double.NaN : Double.parseDouble(accuracy) / 100, Double.parseDouble(f[9].trim()));
    }

    /** As a point of the analytic benchmark's plot: FD only, one panel row per N. */
    SolverBenchmark.Row plotRow() {
      return new SolverBenchmark.Row("Fashion-MNIST, N = " + n, family, label, (int) Math.round(nfe), seconds,
          Double.NaN, fd, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /**
   * {@code java -cp … dev.scoresde.report.ImageSolverBenchmark plot.png run1.out run2.out …}: one FD-versus-NFE
   * plot from the table rows of separate runs (a later row with the same family, budget and N wins).
   */
  public static void main(String[] args) throws IOException {
    plot(SolverBenchmark.readRows(args, 1, Row::parse, r -> r.family() + r.label() + r.n()), Path.of(args[0]));
  }

  /** FD (samples vs test, eval-CNN features) against NFE, one line per solver family, PC at 2000 NFE dashed. */
  public static void plot(List<Row> rows, Path file) throws IOException {
    ErrorPlot.write(rows.stream().map(Row::plotRow).toList(),
        List.of(new ErrorPlot.Metric("Frechet distance to test images (eval CNN)", SolverBenchmark.Row::fd)), file);
  }

  public List<Row> run() {
    List<Row> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(NetworkFactory.NETWORKS).load(model, manager);
      EvalClassifier classifier = EvalClassifier.load(EvalClassifier.SHIPPED, manager);
      int size = classifier.imageSize();
      Path data = FashionMnist.DEBIAN_FOLDER;
      ImageArrayData train = FashionMnist.load(data, "train", size, ValueRange.UNIT, 0);
      ImageArrayData test = FashionMnist.load(data, "t10k", size, ValueRange.UNIT, 0);
      boolean conditional = guidance >= 0 && loaded.card().network().numClasses() > 0;
      out.printf("model %s (%s), %s%n%n", loaded.card().name(), loaded.folder(),
          conditional ? "class-conditional, classifier-free guidance w = " + guidance : "unconditional");
      out.println("| sampler | budget | N | NFE | FD ± s.e. | floor | FD/floor | intended class | wall s |");
      out.println("|---|---|---|---|---|---|---|---|---|");
      for (SolverBenchmark.Entry e : SolverBenchmark.entries()) {
        SamplerSettings s = e.settings();
        if (!include.test(e.family()) && !include.test(e.family() + "@" + s.fields().steps())) {
          continue;
        }
        boolean slow = s instanceof PcSettings;
        int rowsN = slow ? slowN : n;
        EvaluationSettings settings = new EvaluationSettings(rowsN, 100, s, conditional, conditional ? guidance : 0,
            0, 1, LikelihoodSettings.defaults(), 0);
        EvaluationReport r = new Evaluation(loaded.card(), loaded.scoreModel(), classifier, settings)
            .run(train, test, test, manager, new PrintStream(PrintStream.nullOutputStream()));
        Row row = new Row(e.family(), SolverBenchmark.label(s), rowsN, r.samplingNfe(), r.frechetDistance(),
            r.frechetDistanceError(), r.floor(),
            r.classAccuracy(), r.samplingSeconds());
        rows.add(row);
        out.println(row.markdown());
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
