package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryConnectorTest {
  private static RegistryConnector insecure(String... hosts) {
    return new RegistryConnector(Set.of(hosts), CredentialFiles.of(List.of()), RetryPolicy.DEFAULT);
  }

  @Test
  void localhostIsNotInsecureUnlessMarked() {
    assertThat(insecure().isInsecure("localhost:5000")).isFalse();
    assertThat(insecure("localhost:5000").isInsecure("localhost:5000")).isTrue();
  }

  @Test
  void anEntryWithAPortCoversOnlyThatPort() {
    assertThat(insecure("localhost:5000").isInsecure("localhost:5001")).isFalse();
  }

  @Test
  void anEntryWithoutAPortCoversEveryPortOfTheHost() {
    RegistryConnector connector = insecure("Registry.Corp");

    assertThat(connector.isInsecure("registry.corp")).isTrue();
    assertThat(connector.isInsecure("registry.corp:8443")).isTrue();
    assertThat(connector.isInsecure("other.corp")).isFalse();
  }

  @Test
  void aRepositoryIsNotARegistryHost() {
    assertThatThrownBy(() -> insecure("localhost:5000/corp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a registry HOST[:PORT]");
  }
}
