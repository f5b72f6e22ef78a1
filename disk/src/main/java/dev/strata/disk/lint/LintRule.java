package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/** One check of the bootc container contract over a flattened rootfs. */
interface LintRule {
  /** The rule's name, bootc's where bootc has the same check. */
  String name();

  /** The findings for {@code image}, empty when it complies. */
  List<LintFinding> check(LintedImage image) throws IOException;
}
