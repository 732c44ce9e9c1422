package dev.scoresde.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Seconds per call of one bench row on one stack, gathered over the rounds: wall clock and process CPU time. */
final class Timing {
  private final List<Double> wall = new ArrayList<>();
  private final List<Double> cpu = new ArrayList<>();

  void add(double wallSeconds, double cpuSeconds) {
    wall.add(wallSeconds);
    cpu.add(cpuSeconds);
  }

  /** Adds the calls of a worker answer {"wall_s": [...], "cpu_s": [...]}. */
  void addAll(JsonNode answer) {
    for (int i = 0; i < answer.get("wall_s").size(); i++) {
      add(answer.get("wall_s").get(i).asDouble(), answer.get("cpu_s").get(i).asDouble());
    }
  }

  void addAll(Timing other) {
    wall.addAll(other.wall);
    cpu.addAll(other.cpu);
  }

  int size() {
    return wall.size();
  }

  double wall() {
    return median(wall);
  }

  double cpu() {
    return median(cpu);
  }

  String describe() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < wall.size(); i++) {
      b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f/%.3f", wall.get(i), cpu.get(i)));
    }
    return b.append("] (wall/cpu s)").toString();
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
