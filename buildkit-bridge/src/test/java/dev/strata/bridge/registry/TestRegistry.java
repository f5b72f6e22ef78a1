package dev.strata.bridge.registry;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The distribution registry (Debian's docker-registry binary in the image that
 * scripts/setup-machine.sh builds locally), on a fixed localhost port so it can be stopped and
 * started again at the same address; optionally with htpasswd (bcrypt) authentication. Its access
 * log is the ground truth for what a client sent.
 */
public final class TestRegistry implements AutoCloseable {
  static final DockerImageName IMAGE = DockerImageName.parse("strata-test/registry:2.8");
  static final String USER = "strata";
  static final String PASSWORD = "s3cret-Pa55";

  private final GenericContainer<?> container;
  private final int port;

  private TestRegistry(GenericContainer<?> container, int port) {
    this.container = container;
    this.port = port;
  }

  public static TestRegistry start(Path work, boolean withAuth)
      throws IOException, InterruptedException {
    int port = freePort();
    GenericContainer<?> container =
        new GenericContainer<>(IMAGE)
            .withExposedPorts(5000)
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withPortBindings(
                            new PortBinding(Ports.Binding.bindPort(port), ExposedPort.tcp(5000))))
            .waitingFor(
                Wait.forHttp("/v2/")
                    .forStatusCodeMatching(code -> code == 200 || code == 401)
                    .withStartupTimeout(Duration.ofSeconds(60)));
    if (withAuth) {
      Path htpasswd = work.resolve("htpasswd");
      Process p =
          new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectErrorStream(false).start();
      byte[] line = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("htpasswd failed (apache2-utils is installed by setup-machine.sh)");
      }
      Files.write(htpasswd, line);
      container
          .withCopyFileToContainer(MountableFile.forHostPath(htpasswd, 0644), "/auth/htpasswd")
          .withEnv("REGISTRY_AUTH", "htpasswd")
          .withEnv("REGISTRY_AUTH_HTPASSWD_REALM", "strata-test")
          .withEnv("REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd");
    }
    container.start();
    return new TestRegistry(container, port);
  }

  /** {@code localhost:PORT}. */
  public String host() {
    return "localhost:" + port;
  }

  /** A docker config.json with {@code auths} for this registry. */
  Path authFile(Path dir, String user, String password) throws IOException {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("auth-" + user + "-" + password.length() + ".json");
    Files.writeString(
        file,
        "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}",
        StandardCharsets.UTF_8);
    return file;
  }

  /** The access log so far. */
  public String log() {
    return container.getLogs();
  }

  /** Access-log lines for completed blob uploads (the final PUT of an upload) into repo. */
  static long uploads(String log, String repository) {
    return count(
        log, "\"PUT /v2/" + repository + "/blobs/uploads/[^ ]*digest=[^ ]* HTTP/1.1\" 201");
  }

  /** Access-log lines for successful cross-repository mounts into repo. */
  static long mounts(String log, String repository) {
    return count(log, "\"POST /v2/" + repository + "/blobs/uploads/\\?mount=[^ ]* HTTP/1.1\" 201");
  }

  private static long count(String log, String regex) {
    Matcher m = Pattern.compile(regex).matcher(log);
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Stops the registry process; its data stays (same container). */
  void stop() {
    container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(2).exec();
  }

  /** Starts it again on the same port and waits until it answers. */
  void restart() throws InterruptedException {
    container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket s = new java.net.Socket("localhost", port)) {
        if (httpOk()) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("registry did not come back on port " + port);
  }

  private boolean httpOk() {
    try {
      var connection =
          (java.net.HttpURLConnection)
              new java.net.URL("http://localhost:" + port + "/v2/").openConnection();
      int code = connection.getResponseCode();
      return code == 200 || code == 401;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    container.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
