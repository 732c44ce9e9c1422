package dev.scoresde.serve;

/** A client's mistake in one parameter: answered with 400 and the parameter's name. */
public class InvalidRequestException extends RuntimeException {
  private final String parameter;

  public InvalidRequestException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
