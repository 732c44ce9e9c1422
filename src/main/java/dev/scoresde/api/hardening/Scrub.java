package dev.scoresde.api.hardening;

import java.io.File;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an error message may tell a client: no file-system paths (an absolute path becomes its last segment, so
 * "/srv/models/x/model.json: bad" reads "model.json: bad"; the log keeps the full message), no echoed value longer
 * than {@link #MAX_ECHO} characters (a quoted value is cut with "…"), and at most {@link #MAX_DETAIL} characters.
 */
public final class Scrub {
  /** Characters kept of a value quoted in a message ('…'). */
  public static final int MAX_ECHO = 64;
  /** Characters kept of a whole detail. */
  public static final int MAX_DETAIL = 500;

  // An absolute Unix path of at least two segments, not part of a URL (http://host/...) or of a word.
  private static final Pattern UNIX = Pattern.compile("(?<![\\w.:/\\\\-])(/[^\\s/'\"`:;,()\\[\\]{}<>]+)"
      + "((?:/[^\\s/'\"`:;,()\\[\\]{}<>]*)+)");
  private static final Pattern WINDOWS = Pattern.compile("(?<![\\w])[A-Za-z]:\\\\(?:[^\\\\\\s'\"]+\\\\)*([^\\\\\\s'\"]*)");
  private static final Pattern FILE_URL = Pattern.compile("(?:jar:)?file:[^\\s'\"]*?([^/\\s'\"!]+)(?=[\\s'\"]|$)");
  private static final Pattern QUOTED = Pattern.compile("'([^']{" + MAX_ECHO + "})[^']+'");
  /** The top-level folders of this machine: a path under one of them is a file path, /v1/models is not. */
  private static final Set<String> ROOTS = roots();

  private Scrub() {}

  /** The message as a client may see it (null stays null). */
  public static String detail(String message) {
    if (message == null) {
      return null;
    }
    String s = paths(message);
    s = QUOTED.matcher(s).replaceAll(m -> Matcher.quoteReplacement("'" + m.group(1) + "…'"));
    return cut(s, MAX_DETAIL);
  }

  /** A value echoed on its own (a field name, a JSON path): at most {@code max} characters. */
  public static String cut(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "…";
  }

  /** Absolute file paths replaced by their last segment. */
  public static String paths(String s) {
    s = FILE_URL.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s = WINDOWS.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    return UNIX.matcher(s).replaceAll(m -> {
      if (!ROOTS.contains(m.group(1).substring(1))) {
        return Matcher.quoteReplacement(m.group());
      }
      String rest = m.group(2);
      String last = rest.substring(rest.lastIndexOf('/') + 1);
      return Matcher.quoteReplacement(last.isEmpty() ? "…" : last);
    });
  }

  private static Set<String> roots() {
    Set<String> roots = new TreeSet<>(Set.of("tmp", "home", "root", "opt", "srv", "var", "etc", "usr", "mnt",
        "media", "data", "models", "config", "app", "work", "proc", "sys", "dev", "run", "private", "Users",
        "Volumes"));
    File[] top = File.listRoots().length > 0 ? new File("/").listFiles() : null;
    if (top != null) {
      for (File f : top) {
        roots.add(f.getName());
      }
    }
    roots.remove("v1");
    roots.remove("v3");
    roots.remove("actuator");
    roots.remove("swagger-ui");
    return Set.copyOf(roots);
  }
}
