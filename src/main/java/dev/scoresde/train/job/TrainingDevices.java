package dev.scoresde.train.job;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code devices} setting of a training job: {@code auto} (default) for every device the engine
 * reports (all GPUs of the node, or the CPU when it has none), {@code cpu}, or a list such as
 * {@code gpu0,gpu1}. With several devices each step's batch is split across them (data parallel).
 */
public final class TrainingDevices {
  private TrainingDevices() {}

  /**
   * Checks the syntax.
   *
   * @return the listed devices, or empty for auto
   * @throws IllegalArgumentException for an unknown name, a duplicate, or the CPU mixed with GPUs
   */
  public static Optional<List<Device>> parse(String setting) {
    if (setting == null || setting.isBlank() || setting.trim().equalsIgnoreCase("auto")) {
      return Optional.empty();
    }
    List<Device> out = new ArrayList<>();
    for (String part : setting.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!name.matches("cpu|gpu\\d+")) {
        throw new IllegalArgumentException("unknown device '" + part.trim() + "' (expected auto, cpu or a list such as"
            + " gpu0,gpu1)");
      }
      out.add(Device.fromName(name));
    }
    if (new HashSet<>(out).size() != out.size()) {
      throw new IllegalArgumentException("lists a device twice: " + setting);
    }
    if (out.size() > 1 && out.contains(Device.cpu())) {
      throw new IllegalArgumentException("mixes the CPU with GPUs (every step would wait for the CPU): " + setting);
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * The devices to train on.
   *
   * @param available what the engine reports ({@code Engine.getDevices()}: its GPUs, or the CPU alone)
   * @throws IllegalArgumentException when a listed GPU is not among them
   */
  public static List<Device> resolve(String setting, List<Device> available) {
    Optional<List<Device>> listed = parse(setting);
    if (listed.isEmpty()) {
      return List.copyOf(available);
    }
    for (Device d : listed.get()) {
      if (d.isGpu() && !available.contains(d)) {
        throw new IllegalArgumentException("device " + d + " is listed but the engine sees " + available);
      }
    }
    return listed.get();
  }
}
