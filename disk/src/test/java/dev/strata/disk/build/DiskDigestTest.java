package dev.strata.disk.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digest of a sparse disk file hashed while it is written equals what {@code sha256sum} prints
 * of the finished file, holes as zeros, with openssl and in Java.
 */
class DiskDigestTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void equalsSha256sumOfTheFinishedFile(boolean openssl) throws Exception {
    Path file = tmp.resolve("disk.raw");
    long size = 40L << 20;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
      write(f, 512, "a partition table");
      write(f, 5L << 20, "a tool's filesystem");
      write(f, size - 4096, "a backup table");
      try (DiskDigest digest = DiskDigest.start(file, openssl)) {
        digest.finalUpTo(8L << 20); // the tools' part: holes looked up
        write(f, (9L << 20) + 3, "root metadata");
        digest.written((9L << 20) + 3, 13);
        write(f, 20L << 20, "x".repeat(3 << 20));
        digest.written(20L << 20, 3 << 20);
        String hex = digest.finish(size);
        String expected = Command.run("sha256sum", file.toString()).split(" ")[0];
        assertThat(hex).isEqualTo(expected);
      }
    }
  }

  @Test
  void rangesMustComeInOrder() throws Exception {
    Path file = tmp.resolve("disk.raw");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    try (DiskDigest digest = DiskDigest.start(file, false)) {
      digest.written(4096, 4096);
      assertThatThrownBy(() -> digest.written(0, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("in order");
    }
  }

  private static void write(RandomAccessFile f, long at, String text) throws Exception {
    f.seek(at);
    f.write(text.getBytes());
  }

  /** Runs a command and returns its output (fails on a non-zero exit). */
  private static final class Command {
    static String run(String... argv) throws Exception {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).isZero();
      return out;
    }
  }
}
