package dev.strata.bridge.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link RunOutput} that keeps what it is given, per stream, for assertions. */
final class CapturedOutput implements RunOutput {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Override
  public synchronized void stdout(byte[] bytes, int offset, int length) {
    out.write(bytes, offset, length);
  }

  @Override
  public synchronized void stderr(byte[] bytes, int offset, int length) {
    err.write(bytes, offset, length);
  }

  synchronized String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  synchronized String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
