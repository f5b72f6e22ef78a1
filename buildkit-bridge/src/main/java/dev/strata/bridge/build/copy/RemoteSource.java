package dev.strata.bridge.build.copy;

import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The files ADD downloads: fetched over HTTP(S) with TLS verified by the JDK, checked against
 * {@code --checksum} when given (a mismatch fails the step and keeps nothing), named after the last
 * element of the URL path, dated by {@code Last-Modified} (the epoch when absent, so the layer does
 * not depend on when it was built).
 */
public final class RemoteSource {
  // Made on the first download: building an HttpClient loads the TLS stack and the trust store,
  // about 0.1 s that a build without ADD <url> (a no-op rebuild among them) should not pay.
  private HttpClient client;

  public RemoteSource() {}

  private synchronized HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(30))
              .build();
    }
    return client;
  }

  /** A downloaded file. */
  public record Download(Path file, String fileName, long size, Instant modified) {}

  static boolean isUrl(String source) {
    return source.startsWith("http://") || source.startsWith("https://");
  }

  static boolean isGit(String source) {
    return source.startsWith("git@") || source.startsWith("git://") || source.endsWith(".git");
  }

  Download fetch(String url, Optional<String> checksum, Path scratch)
      throws IOException, CopyException {
    Optional<Digest> expected = Optional.empty();
    if (checksum.isPresent()) {
      try {
        expected = Optional.of(Digest.parse(checksum.get()));
      } catch (IllegalArgumentException e) {
        throw new CopyException(
            "--checksum=" + checksum.get() + " is not a digest; give sha256:<64 hex digits>");
      }
    }
    HttpResponse<InputStream> response;
    try {
      response =
          client()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    } catch (IllegalArgumentException e) {
      throw new CopyException("ADD cannot download '" + url + "': " + e.getMessage());
    }
    Path file = Files.createTempFile(scratch, "download-", "");
    MessageDigest sha = Digest.newSha256();
    long size;
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new CopyException(
            "ADD could not download " + url + ": HTTP status " + response.statusCode());
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
        size = in.transferTo(out);
      }
    }
    Digest actual = Digest.fromHash(sha.digest());
    if (expected.isPresent() && !expected.get().equals(actual)) {
      Files.deleteIfExists(file);
      throw new CopyException(
          "ADD " + url + ": checksum mismatch, expected " + expected.get() + ", got " + actual);
    }
    String path = URI.create(url).getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      name = "index.html";
    }
    Instant modified =
        response
            .headers()
            .firstValue("Last-Modified")
            .flatMap(RemoteSource::httpDate)
            .orElse(Instant.EPOCH);
    return new Download(file, name, size, modified);
  }

  private static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
