package dev.scoresde.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=solver-bench [--samples2=4000]
 * [--samples64=2000] [--mixtures=d2,d64] [--skip-slow] [--plot=docs/solvers.png]}: prints the solver benchmark ({@link SolverBenchmark}),
 * writes its plot and exits. With {@code --model=DIR} it runs the Fashion-MNIST half instead
 * ({@link ImageSolverBenchmark}).
 */
@Component
@Profile("solver-bench")
class SolverBenchRunner implements ApplicationRunner {

  @Override
  public void run(ApplicationArguments args) {
    if (args.containsOption("model")) {
      imageHalf(args);
      return;
    }
    int n2 = option(args, "samples2", 4000);
    int n64 = option(args, "samples64", 2000);
    Path plot = Path.of(args.containsOption("plot") ? args.getOptionValues("plot").get(0) : "docs/solvers.png");
    List<String> mixtures = List.of((args.containsOption("mixtures") ? args.getOptionValues("mixtures").get(0)
        : "d2,d64").split(","));
    List<SolverBenchmark.Row> rows = new SolverBenchmark(n2, n64, mixtures, args.containsOption("skip-slow"),
        System.out).run();
    try {
      ErrorPlot.write(rows, plot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("plot: " + plot);
  }

  /**
   * --model=DIR [--n=1000] [--slow-n=200] [--guidance=-1] [--only=dpm-solver++2m,heun,ddim@50,...]: the Fashion-MNIST
   * half
   * ({@link ImageSolverBenchmark}); the table is printed row by row.
   */
  private static void imageHalf(ApplicationArguments args) {
    java.util.Set<String> only = args.containsOption("only")
        ? java.util.Set.of(args.getOptionValues("only").get(0).split(",")) : null;
    new ImageSolverBenchmark(Path.of(args.getOptionValues("model").get(0)), option(args, "n", 1000),
        option(args, "slow-n", 200), args.containsOption("guidance")
            ? Double.parseDouble(args.getOptionValues("guidance").get(0)) : -1,
        family -> only == null || only.contains(family), System.out).run();
  }

  private static int option(ApplicationArguments args, String name, int fallback) {
    return args.containsOption(name) ? Integer.parseInt(args.getOptionValues(name).get(0)) : fallback;
  }
}
