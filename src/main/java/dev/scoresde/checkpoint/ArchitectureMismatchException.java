package dev.scoresde.checkpoint;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A checkpoint was made for another architecture (or SDE, or data shape) than the one configured. */
public final class ArchitectureMismatchException extends IllegalStateException {

  public ArchitectureMismatchException(String message) {
    super(message);
  }

  /** Throws if {@code saved} and {@code configured} differ, naming every differing field. */
  public static void check(Path folder, String what, Record saved, Record configured) {
    List<String> diffs = differences(saved, configured);
    if (!diffs.isEmpty()) {
      throw new ArchitectureMismatchException("checkpoint " + folder + " was trained with another " + what
          + " than the configured one: " + String.join(", ", diffs)
          + " (saved vs configured). Point the job at a new checkpoint folder, set resume: false to start over"
          + " in an empty folder, or configure the saved " + what + ".");
    }
  }

  /** "field: saved vs configured" for each differing record component. */
  static List<String> differences(Record a, Record b) {
    List<String> out = new ArrayList<>();
    if (a == null || b == null || a.getClass() != b.getClass()) {
      if (!Objects.equals(a, b)) {
        out.add(a + " vs " + b);
      }
      return out;
    }
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      try {
        Object x = c.getAccessor().invoke(a);
        Object y = c.getAccessor().invoke(b);
        if (!Objects.equals(x, y)) {
          out.add(c.getName() + " " + x + " vs " + y);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
