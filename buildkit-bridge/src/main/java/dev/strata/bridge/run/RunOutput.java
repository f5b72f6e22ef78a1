package dev.strata.bridge.run;

/**
 * Where a RUN's output goes as it is produced; called from reader threads, one call per chunk read.
 */
public interface RunOutput {
  /** Writes nowhere. */
  RunOutput DISCARD =
      new RunOutput() {
        @Override
        public void stdout(byte[] bytes, int offset, int length) {}

        @Override
        public void stderr(byte[] bytes, int offset, int length) {}
      };

  void stdout(byte[] bytes, int offset, int length);

  void stderr(byte[] bytes, int offset, int length);
}
