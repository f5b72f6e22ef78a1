package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {
  @TempDir Path home;

  private static Path authFile(Path file, String host, String user, String password)
      throws IOException {
    Files.createDirectories(file.getParent());
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void searchesPodmanThenDockerLocationsLikeContainersAuthJson() {
    CredentialFiles files =
        CredentialFiles.fromEnvironment(
            Map.of("HOME", "/h", "XDG_RUNTIME_DIR", "/run/user/0", "DOCKER_CONFIG", "/d"));

    assertThat(files.searchOrder())
        .containsExactly(
            Path.of("/run/user/0/containers/auth.json"),
            Path.of("/h/.config/containers/auth.json"),
            Path.of("/d/config.json"));
  }

  @Test
  void registryAuthFileReplacesPodmansDefaultsButDockerConfigStillFollows() {
    CredentialFiles files =
        CredentialFiles.fromEnvironment(
            Map.of("HOME", "/h", "REGISTRY_AUTH_FILE", "/ci/auth.json", "XDG_RUNTIME_DIR", "/r"));

    assertThat(files.searchOrder())
        .containsExactly(Path.of("/ci/auth.json"), Path.of("/h/.docker/config.json"));
  }

  @Test
  void theFirstFileWithCredentialsForTheRegistryWins() throws Exception {
    authFile(home.resolve(".config/containers/auth.json"), "other.example", "o", "x");
    authFile(home.resolve(".docker/config.json"), "reg.example:5000", "docker-user", "pw1");
    CredentialFiles files = CredentialFiles.fromEnvironment(Map.of("HOME", home.toString()));

    RegistryCredential found = files.lookup("reg.example:5000").orElseThrow();

    assertThat(found.username()).isEqualTo("docker-user");
    assertThat(found.secret()).isEqualTo("pw1");
    assertThat(found.source()).isEqualTo(home.resolve(".docker/config.json").toString());
  }

  @Test
  void podmansAuthJsonIsPreferredOverDockersConfig() throws Exception {
    authFile(home.resolve(".config/containers/auth.json"), "reg.example", "podman-user", "a");
    authFile(home.resolve(".docker/config.json"), "reg.example", "docker-user", "b");

    RegistryCredential found =
        CredentialFiles.fromEnvironment(Map.of("HOME", home.toString()))
            .lookup("reg.example")
            .orElseThrow();

    assertThat(found.username()).isEqualTo("podman-user");
  }

  @Test
  void usernameAndPasswordFieldsAndDockerHubAliasesAreUnderstood() throws Exception {
    Path config = home.resolve("cfg/config.json");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"pw\"}}}");

    RegistryCredential found =
        CredentialFiles.fromEnvironment(
                Map.of("HOME", home.toString(), "DOCKER_CONFIG", config.getParent().toString()))
            .lookup("docker.io")
            .orElseThrow();

    assertThat(found.username()).isEqualTo("hub");
  }

  @Test
  void noFileMeansAnonymous() throws Exception {
    assertThat(CredentialFiles.fromEnvironment(Map.of("HOME", home.toString())).lookup("x.io"))
        .isEmpty();
  }

  @Test
  void aCredentialNeverShowsItsSecret() {
    RegistryCredential credential = new RegistryCredential("me", "hunter2", "/auth.json");

    assertThat(credential.toString()).contains("me").doesNotContain("hunter2");
  }
}
