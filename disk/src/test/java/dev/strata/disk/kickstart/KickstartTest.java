package dev.strata.disk.kickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.disk.config.DiskConfig;
import org.junit.jupiter.api.Test;

class KickstartTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void installsThePushedDigestWithOstreecontainer() throws Exception {
    String ks =
        Kickstart.render("registry.corp.example:5000/corp/db-server", DIGEST, DiskConfig.EMPTY);
    assertThat(ks)
        .contains(
            "ostreecontainer --url=registry.corp.example:5000/corp/db-server@"
                + DIGEST
                + " --transport=registry\n")
        .contains("clearpart --all --initlabel --disklabel=gpt\n")
        .contains("rootpw --lock\n")
        .endsWith("reboot\n");
  }

  @Test
  void usersGetCryptedPasswordsAndKeys() throws Exception {
    DiskConfig config =
        DiskConfig.parse(
            "[[customizations.user]]\nname = \"alice\"\npassword = \"plain-secret\"\nkey = \"ssh-ed25519 AAAA a@b\"\ngroups = [\"wheel\"]\n"
                + "[customizations.kernel]\nappend = \"console=ttyS0\"\n",
            false,
            "c.toml");
    String ks = Kickstart.render("localhost:5000/corp/db-server", DIGEST, config);
    assertThat(ks)
        .containsPattern(
            "(?m)^user --name=alice --groups=wheel --iscrypted --password=\\$6\\$\\S+$")
        .contains("sshkey --username=alice \"ssh-ed25519 AAAA a@b\"\n")
        .contains("bootloader --append=\"console=ttyS0\"\n")
        .doesNotContain("plain-secret");
  }

  @Test
  void aRepositoryWithoutRegistryIsRefused() {
    assertThatThrownBy(() -> Kickstart.render("corp/db-server", DIGEST, DiskConfig.EMPTY))
        .hasMessageContaining("names no registry");
    assertThatThrownBy(() -> Kickstart.render("localhost/corp/x", "latest", DiskConfig.EMPTY))
        .hasMessageContaining("not a sha256 digest");
  }
}
