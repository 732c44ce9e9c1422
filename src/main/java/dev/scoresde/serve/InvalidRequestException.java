package dev.scoresde.serve;

import dev.scoresde.sampling.settings.InvalidFieldException;

/** A client's mistake in one parameter of a request: answered with 400 and the parameter's name. */
public class InvalidRequestException extends InvalidFieldException {

  public InvalidRequestException(String parameter, String message) {
    super(parameter, message);
  }

  public String parameter() {
    return field();
  }
}
