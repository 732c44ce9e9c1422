package dev.scoresde.sampling.ode;

/**
 * The ODE's right-hand side became NaN or infinite: the model's probability flow leaves finite values for this
 * input (an untrained or diverging network, or an input far outside the data). Not a server fault.
 */
public final class NotFiniteException extends ArithmeticException {
  public NotFiniteException(String message) {
    super(message);
  }
}
