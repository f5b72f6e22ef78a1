package dev.strata.cli;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The distribution registry scripts/setup-machine.sh builds ({@code strata-test/registry:2.8}) in a
 * container, on a fixed localhost port so Strata and cosign reach it as the same {@code
 * localhost:PORT}.
 */
public final class LocalRegistry implements AutoCloseable {
  private final GenericContainer<?> container;
  private final int port;

  private LocalRegistry(GenericContainer<?> container, int port) {
    this.container = container;
    this.port = port;
  }

  /** Starts a fresh, empty registry. */
  public static LocalRegistry start() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int bound = port;
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse("strata-test/registry:2.8"))
            .withExposedPorts(5000)
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withPortBindings(
                            new PortBinding(Ports.Binding.bindPort(bound), ExposedPort.tcp(5000))))
            .waitingFor(Wait.forHttp("/v2/").withStartupTimeout(Duration.ofSeconds(60)));
    container.start();
    return new LocalRegistry(container, port);
  }

  /** {@code localhost:PORT}. */
  public String host() {
    return "localhost:" + port;
  }

  @Override
  public void close() {
    container.stop();
  }
}
