package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.fs.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, must-show 2: a secret a RUN reads through {@code --mount=type=secret} (as a file, at a
 * chosen target, and as an environment variable) is in no blob of the store — no layer (read
 * gunzipped), config, manifest or history — nor in the build cache records or the build's output.
 */
class SecretLeakTest {
  private static final String SECRET = "s3cr3t-" + Long.toHexString(System.nanoTime()) + "-token";

  @TempDir Path tmp;

  @Test
  void aMountedSecretReachesTheRunButNoBlobOfTheStore() throws Exception {
    assertThat(Posix.isRoot()).as("RUN needs root, as CI runs").isTrue();
    Path tar = BusyboxImage.tarball(tmp.resolve("busybox.tar"));
    Path store = tmp.resolve("store");
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(
        project.resolve("Containerfile"),
        "FROM "
            + BusyboxImage.REFERENCE
            + "\n"
            + "RUN --mount=type=secret,id=token,required wc -c < /run/secrets/token > /len-file\n"
            + "RUN --mount=type=secret,id=token,target=/etc/app/token"
            + " cp /etc/app/token /tmp/copy && wc -c < /tmp/copy > /len-target && rm /tmp/copy\n"
            + "RUN --mount=type=secret,id=token,env=TOKEN"
            + " sh -c 'printf %s \"$TOKEN\" | wc -c > /len-env'\n"
            + "ENV AFTER=1\n");
    BusyboxImage.run(
        tmp,
        Map.of(),
        "import",
        tar.toString(),
        BusyboxImage.REFERENCE,
        "--store",
        store.toString());
    BusyboxImage.Child build =
        BusyboxImage.start(
            tmp,
            Map.of("API_TOKEN", SECRET),
            "build",
            "--progress",
            "plain",
            "--secret",
            "id=token,env=API_TOKEN",
            "--store",
            store.toString(),
            project.toString());
    assertThat(build.waitFor()).as(build.stdout() + build.stderr()).isZero();

    // The RUNs did read it: each wrote the secret's length.
    String lengths = String.join(",", layerFiles(store, "len-file", "len-target", "len-env"));
    int n = SECRET.length();
    assertThat(lengths).isEqualTo(n + "," + n + "," + n);

    List<String> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(store)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (contains(readMaybeGunzipped(file), SECRET)) {
          leaks.add(store.relativize(file).toString());
        }
      }
    }
    assertThat(leaks).as("files of the store holding the secret").isEmpty();
    assertThat(build.stdout() + build.stderr()).doesNotContain(SECRET);
  }

  /** The content of each named file at the root of the image, from the layers that hold it. */
  private static List<String> layerFiles(Path store, String... names) throws Exception {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String found = null;
      try (Stream<Path> blobs = Files.list(store.resolve("blobs/sha256"))) {
        for (Path blob : blobs.toList()) {
          if (!isGzip(blob)) {
            continue;
          }
          Process p = new ProcessBuilder("tar", "-xzOf", blob.toString(), name).start();
          String content = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (p.waitFor() == 0 && !content.isEmpty()) {
            found = content.strip();
          }
        }
      }
      out.add(String.valueOf(found));
    }
    return out;
  }

  private static byte[] readMaybeGunzipped(Path file) throws IOException {
    if (!isGzip(file)) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
