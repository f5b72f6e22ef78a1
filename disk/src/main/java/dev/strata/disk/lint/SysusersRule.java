package dev.strata.disk.lint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * bootc's {@code sysusers}: /etc is merged three ways on upgrade, so a user or group added to
 * /etc/passwd or /etc/group by a package never reaches machines installed from an older image.
 * Reports each one that no sysusers.d line declares.
 */
final class SysusersRule implements LintRule {
  @Override
  public String name() {
    return "sysusers";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    Set<String> users = new HashSet<>();
    Set<String> groups = new HashSet<>();
    for (String line : image.dropInLines("usr/lib/sysusers.d", "etc/sysusers.d")) {
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        continue;
      }
      switch (f[0]) {
        case "u", "u!" -> {
          users.add(f[1]);
          groups.add(f[1]); // u creates the user's own group too
        }
        case "g" -> groups.add(f[1]);
        default -> {}
      }
    }
    List<LintFinding> findings = new ArrayList<>();
    List<String> uncoveredUsers = names(image, "etc/passwd", users);
    if (!uncoveredUsers.isEmpty()) {
      findings.add(
          new LintFinding(
              name(),
              Severity.WARNING,
              uncoveredUsers.size()
                  + " users in /etc/passwd without a sysusers.d entry: "
                  + String.join(", ", uncoveredUsers)
                  + "; declare them in /usr/lib/sysusers.d",
              List.of("/etc/passwd")));
    }
    List<String> uncoveredGroups = names(image, "etc/group", groups);
    if (!uncoveredGroups.isEmpty()) {
      findings.add(
          new LintFinding(
              name(),
              Severity.WARNING,
              uncoveredGroups.size()
                  + " groups in /etc/group without a sysusers.d entry: "
                  + String.join(", ", uncoveredGroups)
                  + "; declare them in /usr/lib/sysusers.d",
              List.of("/etc/group")));
    }
    return findings;
  }

  private static List<String> names(LintedImage image, String file, Set<String> declared)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : image.read(file).orElse("").split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !declared.contains(line.substring(0, colon))) {
        out.add(line.substring(0, colon));
      }
    }
    return out;
  }
}
