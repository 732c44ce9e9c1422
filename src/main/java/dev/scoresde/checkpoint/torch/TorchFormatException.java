package dev.scoresde.checkpoint.torch;

import java.io.IOException;

/** A {@code .pth} file is malformed, exceeds a limit, or contains something a state dict must not contain. */
public final class TorchFormatException extends IOException {

  public TorchFormatException(String message) {
    super(message);
  }

  public TorchFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
