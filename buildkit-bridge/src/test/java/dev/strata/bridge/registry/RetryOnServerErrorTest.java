package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries on 5xx, against a loopback HTTP endpoint that fails a set number of times before it
 * answers like a registry (the real registry cannot be made to answer 503 on demand). It serves
 * HTTPS with a self-signed certificate, so it is also reached the way an insecure-marked registry
 * is: TLS without verification.
 */
class RetryOnServerErrorTest {
  private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20));
  private HttpServer server;
  private final AtomicInteger manifestRequests = new AtomicInteger();

  @TempDir Path tmp;

  private SSLContext selfSigned() throws Exception {
    Path keystore = tmp.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private String serve(int failuresBeforeSuccess) throws Exception {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    server = https;
    server.createContext(
        "/v2/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/v2/")) {
            exchange.sendResponseHeaders(200, -1);
          } else if (manifestRequests.incrementAndGet() <= failuresBeforeSuccess) {
            exchange.sendResponseHeaders(503, -1);
          } else {
            byte[] body =
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Registry connect(String host) throws IOException {
    return new RegistryConnector(Set.of(host), CredentialFiles.of(List.of()), FAST).connect(host);
  }

  @Test
  void aServerErrorIsRetriedUntilTheRegistryAnswers() throws Exception {
    String host = serve(2);
    try (Registry registry = connect(host)) {
      assertThat(registry.manifest("a/b", "1")).isEmpty();
    }
    assertThat(manifestRequests).hasValue(3);
  }

  @Test
  void aServerThatKeepsFailingIsReportedAfterTheLastAttempt() throws Exception {
    String host = serve(100);
    try (Registry registry = connect(host)) {
      assertThatThrownBy(() -> registry.manifest("a/b", "1"))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(RegistryAccessException.Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains("HTTP 503").contains("gave up after 4");
              });
    }
    assertThat(manifestRequests).hasValue(4);
  }

  @Test
  void aSelfSignedCertificateIsRefusedUnlessTheRegistryIsMarkedInsecure() throws Exception {
    String host = serve(0);
    RegistryConnector strict = new RegistryConnector(Set.of(), CredentialFiles.of(List.of()), FAST);
    try (Registry registry = strict.connect(host)) {
      assertThatThrownBy(() -> registry.manifest("a/b", "1"))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> assertThat(e.kind()).isEqualTo(RegistryAccessException.Kind.TLS));
    }
    assertThat(manifestRequests).hasValue(0);
  }
}
