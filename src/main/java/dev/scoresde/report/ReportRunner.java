package dev.scoresde.report;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=report [--samples=N] [--control-steps=N]}:
 * prints the analytic report (see {@link AnalyticReport}, {@link ControlReport}) and exits.
 */
@Component
@Profile("report")
class ReportRunner implements ApplicationRunner {

  @Override
  public void run(ApplicationArguments args) {
    int samples = args.containsOption("samples") ? Integer.parseInt(args.getOptionValues("samples").get(0)) : 2000;
    int controlSteps = args.containsOption("control-steps")
        ? Integer.parseInt(args.getOptionValues("control-steps").get(0)) : AnalyticReport.CONTROL_STEPS;
    new AnalyticReport(samples, 0, controlSteps, System.out).run();
  }
}
