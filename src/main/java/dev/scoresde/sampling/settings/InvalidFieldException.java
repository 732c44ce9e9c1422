package dev.scoresde.sampling.settings;

/** A mistake in one named field (of a request, a command line or a configuration), named in {@link #field()}. */
public class InvalidFieldException extends IllegalArgumentException {
  private final String field;

  public InvalidFieldException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
