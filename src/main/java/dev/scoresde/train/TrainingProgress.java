package dev.scoresde.train;

import dev.scoresde.checkpoint.TrainingState.LossPoint;
import dev.scoresde.optim.Adam;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a run: a log line every K steps (step, mean loss, learning rate, gradient norm, images/s,
 * ETA), the loss history kept in checkpoints, and Micrometer meters: {@code scoresde.train.loss} (the last
 * interval's mean), {@code scoresde.train.steps} (counter), {@code scoresde.train.images.per.second},
 * {@code scoresde.train.learning.rate}, {@code scoresde.train.grad.norm}, {@code scoresde.train.step}. Per step it only adds numbers.
 */
final class TrainingProgress {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);

  private final long totalSteps;
  private final int batchSize;
  private final int logInterval;
  private final List<LossPoint> history = new ArrayList<>();
  private final Counter steps;
  private volatile double lastLoss = Double.NaN;
  private volatile double imagesPerSecond;
  private volatile double learningRate;
  private volatile double gradNorm;
  private volatile long currentStep;
  private double pendingSum;
  private int pendingCount;
  private long intervalStart = System.nanoTime();
  private int intervalSteps;

  TrainingProgress(MeterRegistry registry, long totalSteps, int batchSize, int logInterval) {
    this.totalSteps = totalSteps;
    this.batchSize = batchSize;
    this.logInterval = logInterval;
    Gauge.builder("scoresde.train.loss", this, p -> p.lastLoss).strongReference(true)
        .description("mean training loss of the last log interval").register(registry);
    Gauge.builder("scoresde.train.images.per.second", this, p -> p.imagesPerSecond).strongReference(true)
        .description("training throughput over the last log interval").register(registry);
    Gauge.builder("scoresde.train.learning.rate", this, p -> p.learningRate).strongReference(true)
        .register(registry);
    Gauge.builder("scoresde.train.grad.norm", this, p -> p.gradNorm).strongReference(true)
        .description("global gradient norm before clipping").register(registry);
    Gauge.builder("scoresde.train.step", this, p -> p.currentStep).strongReference(true)
        .description("steps done, counting resumed sessions").register(registry);
    steps = Counter.builder("scoresde.train.steps").description("training steps done").register(registry);
  }

  /** Continues a resumed run's history. */
  void restore(List<LossPoint> saved, double savedPendingSum, int savedPendingCount) {
    history.clear();
    history.addAll(saved);
    pendingSum = savedPendingSum;
    pendingCount = savedPendingCount;
    if (!saved.isEmpty()) {
      lastLoss = saved.get(saved.size() - 1).loss();
    }
    intervalStart = System.nanoTime();
    intervalSteps = 0;
    currentStep = saved.isEmpty() ? 0 : saved.get(saved.size() - 1).step();
  }

  /** Records step {@code step} (steps done) and logs at the end of each interval. */
  void record(long step, double loss, Adam.Update update) {
    steps.increment();
    currentStep = step;
    pendingSum += loss;
    pendingCount++;
    intervalSteps++;
    learningRate = update.learningRate();
    gradNorm = update.gradNorm();
    if (step % logInterval == 0 || step == totalSteps) {
      double mean = pendingSum / pendingCount;
      history.add(new LossPoint(step, mean));
      lastLoss = mean;
      pendingSum = 0;
      pendingCount = 0;
      long now = System.nanoTime();
      double seconds = (now - intervalStart) / 1e9;
      imagesPerSecond = intervalSteps * (double) batchSize / Math.max(seconds, 1e-9);
      Duration eta = Duration.ofSeconds((long) ((totalSteps - step) * seconds / Math.max(intervalSteps, 1)));
      LOG.info(String.format(Locale.ROOT, "step %d/%d loss %.5f lr %.3g |g| %.3g %.1f img/s ETA %s", step,
          totalSteps, mean, update.learningRate(), update.gradNorm(), imagesPerSecond, format(eta)));
      intervalStart = now;
      intervalSteps = 0;
    }
  }

  /** The mean loss of the last completed interval, else of the steps so far (NaN before the first step). */
  double lastLoss() {
    return Double.isFinite(lastLoss) || pendingCount == 0 ? lastLoss : pendingSum / pendingCount;
  }

  List<LossPoint> history() {
    return List.copyOf(history);
  }

  double pendingSum() {
    return pendingSum;
  }

  int pendingCount() {
    return pendingCount;
  }

  static String format(Duration d) {
    long h = d.toHours();
    long m = d.toMinutesPart();
    long s = d.toSecondsPart();
    return h > 0 ? h + "h" + String.format(Locale.ROOT, "%02dm", m) : m > 0 ? m + "m" + String.format(Locale.ROOT,
        "%02ds", s) : s + "s";
  }
}
