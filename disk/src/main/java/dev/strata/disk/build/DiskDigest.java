package dev.strata.disk.build;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.Sha256Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The SHA-256 of a disk file computed while the file is still being written: a second thread hashes
 * it front to back as its parts become final. Parts written by other tools are read where {@code
 * SEEK_DATA} finds data; parts a writer reports ({@link #written}) are read exactly, and the zeros
 * between them are hashed from memory without reading the holes. The digest is of every byte, holes
 * as zeros: what {@code sha256sum} prints. Hashes in the JVM when its SHA-256 is fast (libcrypto or
 * C2), else with {@code openssl dgst} through a pipe when installed, else in Java anyway.
 */
final class DiskDigest implements AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

  /** One step for the hashing thread: a range to scan for data, or a range known to be data. */
  private record Step(boolean scan, long offset, long end) {}

  private static final Step DONE = new Step(false, -1, -1);

  private final Path file;
  private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
  private final Sink sink;
  private final Thread thread;
  private volatile Throwable failure;
  private long queuedTo;
  private long hashedTo;

  private DiskDigest(Path file, Sink sink) {
    this.file = file;
    this.sink = sink;
    this.thread = new Thread(this::run, "disk-sha256");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts hashing {@code file}; nothing is read until a part of it is declared final. */
  static DiskDigest start(Path file) throws IOException {
    return new DiskDigest(
        file, Sink.open(!fastJavaSha256() && HostTool.OPENSSL.find().isPresent()));
  }

  /** Starts hashing {@code file} with openssl or in Java, as asked. */
  static DiskDigest start(Path file, boolean openssl) throws IOException {
    return new DiskDigest(file, Sink.open(openssl));
  }

  /** Everything before {@code end} is final; it was written by tools, so holes are looked up. */
  void finalUpTo(long end) {
    if (end > queuedTo) {
      steps.add(new Step(true, queuedTo, end));
      queuedTo = end;
    }
  }

  /**
   * The range {@code [offset, offset + length)} is final and holds data; what lies between the end
   * of the last final part and {@code offset} is zeros (never written).
   */
  void written(long offset, long length) {
    if (offset < queuedTo) {
      throw new IllegalArgumentException(
          "disk ranges must be final in order: " + offset + " is before " + queuedTo);
    }
    steps.add(new Step(false, offset, offset + length));
    queuedTo = offset + length;
  }

  /** Hashes the rest of the file up to {@code size} and returns the hex digest. */
  String finish(long size) throws IOException {
    finalUpTo(size);
    steps.add(DONE);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiskBuildException("interrupted while checksumming " + file, e);
    }
    if (failure != null) {
      throw new DiskBuildException("could not checksum " + file + ": " + failure.getMessage());
    }
    if (hashedTo != size) {
      throw new DiskBuildException(
          "could not checksum " + file + ": hashed " + hashedTo + " of " + size + " bytes");
    }
    return sink.hex();
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      thread.interrupt();
    }
    sink.close();
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        Step step = steps.take();
        if (step == DONE) {
          return;
        }
        if (step.scan()) {
          for (long[] data : Posix.dataRanges(file, step.offset(), step.end())) {
            zeros(data[0]);
            read(in, buffer, data[1]);
          }
          zeros(step.end());
        } else {
          zeros(step.offset());
          read(in, buffer, step.end());
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void zeros(long end) throws IOException {
    while (hashedTo < end) {
      int n = (int) Math.min(CHUNK, end - hashedTo);
      sink.update(ZEROS.duplicate().limit(n));
      hashedTo += n;
    }
  }

  private void read(FileChannel in, ByteBuffer buffer, long end) throws IOException {
    while (hashedTo < end) {
      buffer.clear().limit((int) Math.min(CHUNK, end - hashedTo));
      int n = in.read(buffer, hashedTo);
      if (n < 0) {
        throw new IOException("the file ends at " + hashedTo + ", before " + end);
      }
      sink.update(buffer.flip());
      hashedTo += n;
    }
  }

  /** Where the bytes go: openssl through a pipe, or Java's SHA-256. */
  private interface Sink {
    /** Hashes the remaining bytes of {@code bytes}. */
    void update(ByteBuffer bytes) throws IOException;

    String hex() throws IOException;

    void close();

    static Sink open(boolean openssl) throws IOException {
      if (openssl) {
        return new OpensslSink();
      }
      MessageDigest sha = Digest.newSha256();
      return new Sink() {
        @Override
        public void update(ByteBuffer bytes) {
          sha.update(bytes);
        }

        @Override
        public String hex() {
          return HexFormat.of().formatHex(sha.digest());
        }

        @Override
        public void close() {}
      };
    }
  }

  /**
   * Whether this JVM hashes with the CPU's SHA instructions: through libcrypto when the CLI
   * installed {@link Sha256Provider}, else only with the optimizing compiler (C2); the launcher
   * stops at C1, whose own SHA-256 is about 20 times slower than openssl.
   */
  static boolean fastJavaSha256() {
    if (Digest.newSha256().getProvider().getName().equals(Sha256Provider.NAME)) {
      return true; // libcrypto, whatever the compiler
    }
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm != null
          && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4
          && Boolean.parseBoolean(vm.getVMOption("UseSHA256Intrinsics").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or an option it does not know: assume no
    }
  }

  private static final class OpensslSink implements Sink {
    private final Process process;
    private final OutputStream in;
    private final WritableByteChannel pipe;

    OpensslSink() throws IOException {
      process =
          new ProcessBuilder(HostTool.OPENSSL.require().toString(), "dgst", "-sha256", "-r")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      in = process.getOutputStream();
      pipe = Channels.newChannel(in);
    }

    @Override
    public void update(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        pipe.write(bytes);
      }
    }

    @Override
    public String hex() throws IOException {
      in.close();
      String out;
      try (InputStream result = process.getInputStream()) {
        out = new String(result.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      try {
        int code = process.waitFor();
        String hex = out.split("\\s+", 2)[0];
        if (code != 0 || !hex.matches("[0-9a-f]{64}")) {
          throw new DiskBuildException("openssl dgst failed (exit " + code + "): " + out);
        }
        return hex;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DiskBuildException("interrupted while waiting for openssl", e);
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
      }
    }
  }
}
