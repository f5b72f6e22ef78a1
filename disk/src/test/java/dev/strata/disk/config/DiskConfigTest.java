package dev.strata.disk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiskConfigTest {
  static final String BIB_EXAMPLE =
      """
      [[customizations.user]]
      name = "alice"
      password = "bob"
      key = "ssh-ed25519 AAAA alice@host"
      groups = ["wheel"]

      [customizations.kernel]
      append = "mitigations=auto,nosmt"

      [[customizations.filesystem]]
      mountpoint = "/"
      minsize = "10 GiB"
      [[customizations.filesystem]]
      mountpoint = "/var/data"
      minsize = "20 GB"
      """;

  @Test
  void readsBootcImageBuilderTomlExample() {
    DiskConfig config = DiskConfig.parse(BIB_EXAMPLE, false, "config.toml");
    assertThat(config.users())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.name()).isEqualTo("alice");
              assertThat(u.password()).contains("bob");
              assertThat(u.passwordIsHashed()).isFalse();
              assertThat(u.key()).contains("ssh-ed25519 AAAA alice@host");
              assertThat(u.groups()).containsExactly("wheel");
            });
    assertThat(config.kernelAppend()).contains("mitigations=auto,nosmt");
    assertThat(config.filesystems())
        .containsExactly(
            new FilesystemMinSize("/", 10L << 30),
            new FilesystemMinSize("/var/data", 20_000_000_000L));
    assertThat(config.rootMinBytes()).isEqualTo((10L << 30) + 20_000_000_000L);
  }

  @Test
  void readsTheSameConfigAsJson() {
    DiskConfig config =
        DiskConfig.parse(
            "{\"customizations\":{\"user\":[{\"name\":\"alice\",\"password\":\"$6$salt$hash\"}],"
                + "\"filesystem\":[{\"mountpoint\":\"/\",\"minsize\":4294967296}]}}",
            true,
            "config.json");
    assertThat(config.users().get(0).passwordIsHashed()).isTrue();
    assertThat(config.rootMinBytes()).isEqualTo(4L << 30);
  }

  @Test
  void secretsNeverAppearInToString() {
    DiskConfig config = DiskConfig.parse(BIB_EXAMPLE, false, "config.toml");
    assertThat(config.toString()).contains("alice").doesNotContain("bob").doesNotContain("AAAA");
  }

  @Test
  void aSyntaxErrorSaysWhereButNotTheText() {
    assertThatThrownBy(
            () ->
                DiskConfig.parse(
                    "[[customizations.user]]\nname = \"a\"\npassword = \"hunter2\n",
                    false,
                    "config.toml"))
        .hasMessageStartingWith("config.toml: not valid TOML")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void unsupportedCustomizationsAreRefusedByName() {
    assertThatThrownBy(
            () -> DiskConfig.parse("[customizations]\nhostname = \"x\"\n", false, "c.toml"))
        .hasMessageContaining("customizations.hostname is not supported");
    assertThatThrownBy(
            () ->
                DiskConfig.parse(
                    "[[customizations.user]]\nname = \"a\"\nshell = \"/bin/zsh\"\n",
                    false,
                    "c.toml"))
        .hasMessageContaining("customizations.user 'a'.shell is not supported");
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(
            () ->
                DiskConfig.parse("[[customizations.user]]\nname = \"Bad Name\"\n", false, "c.toml"))
        .hasMessageContaining("not a valid login name");
    assertThatThrownBy(
            () ->
                DiskConfig.parse(
                    "[[customizations.filesystem]]\nmountpoint = \"/\"\nminsize = \"lots\"\n",
                    false,
                    "c.toml"))
        .hasMessageContaining("'lots' is not a size");
    assertThatThrownBy(
            () ->
                DiskConfig.parse(
                    "[[customizations.filesystem]]\nmountpoint = \"/var\"\nminsize = \"1 GiB\"\n",
                    false,
                    "c.toml"))
        .hasMessageContaining("/var cannot be set");
  }

  @Test
  void sizesReadUnitsAsBootcImageBuilderDoes() {
    assertThat(ByteSize.parse("10 GiB", "x")).isEqualTo(10L << 30);
    assertThat(ByteSize.parse("512MiB", "x")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("4G", "x")).isEqualTo(4L << 30);
    assertThat(ByteSize.parse("2 GB", "x")).isEqualTo(2_000_000_000L);
    assertThat(ByteSize.parse("1234", "x")).isEqualTo(1234L);
    assertThat(ByteSize.format(3L << 29)).isEqualTo("1.5 GiB");
  }

  @Test
  void anEmptyConfigHasNothing() {
    assertThat(DiskConfig.parse("", false, "c.toml"))
        .isEqualTo(new DiskConfig(List.of(), java.util.Optional.empty(), List.of()));
  }
}
