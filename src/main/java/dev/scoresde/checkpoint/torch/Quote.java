package dev.scoresde.checkpoint.torch;

/** Text from a file, made safe for an error message: at most 80 characters, control characters escaped. */
final class Quote {
  private static final int MAX = 80;

  private Quote() {}

  static String of(String s) {
    String t = s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    StringBuilder b = new StringBuilder();
    for (char c : t.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
