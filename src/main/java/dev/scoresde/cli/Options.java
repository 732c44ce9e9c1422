package dev.scoresde.cli;

import java.nio.file.Path;
import org.springframework.boot.ApplicationArguments;

/** Typed access to {@code --name=value} command-line options, with defaults and clear errors. */
public record Options(ApplicationArguments args) {

  public boolean has(String name) {
    return args.containsOption(name);
  }

  public String text(String name, String fallback) {
    if (!args.containsOption(name) || args.getOptionValues(name).isEmpty()) {
      return fallback;
    }
    return args.getOptionValues(name).get(args.getOptionValues(name).size() - 1);
  }

  public Path path(String name, Path fallback) {
    String v = text(name, null);
    return v == null ? fallback : Path.of(v);
  }

  public int integer(String name, int fallback) {
    String v = text(name, null);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  public long number(String name, long fallback) {
    String v = text(name, null);
    try {
      return v == null ? fallback : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  public double real(String name, double fallback) {
    String v = text(name, null);
    try {
      return v == null ? fallback : Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
    }
  }

  /** A flag: present without value or with true/false. */
  public boolean flag(String name) {
    if (!args.containsOption(name)) {
      return false;
    }
    String v = text(name, "true");
    return v.isBlank() || Boolean.parseBoolean(v.trim());
  }
}
