package dev.strata.trust.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import dev.strata.packages.InstalledPackage;
import dev.strata.packages.PackageFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An SPDX 2.3 JSON document for one image: the image as the described package, containing one
 * package per installed dpkg or rpm package with name, full version ({@code
 * [epoch:]version[-release]}), architecture and epoch (in its purl: {@code pkg:deb/…} or {@code
 * pkg:rpm/…}), source and the declared license where the copyright file or rpm header states it
 * ({@code NOASSERTION} otherwise).
 */
public final class SpdxDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpdxDocument() {}

  /**
   * The document for the image {@code repository} at manifest {@code digest}.
   *
   * @param tool the creator, e.g. {@code strata-0.1.0}
   */
  public static ObjectNode of(
      String repository, Digest digest, ImagePackages image, Instant created, String tool) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", repository + "@" + digest);
    doc.put("documentNamespace", "https://strata.dev/spdx/" + repository + "/" + digest.hex());
    ObjectNode creation = doc.putObject("creationInfo");
    creation.put("created", created.truncatedTo(ChronoUnit.SECONDS).toString());
    creation.putArray("creators").add("Tool: " + tool);
    ArrayNode packages = doc.putArray("packages");
    ArrayNode relationships = JSON.createArrayNode();
    ObjectNode imagePackage = packages.addObject();
    imagePackage.put("name", repository);
    imagePackage.put("SPDXID", "SPDXRef-Image");
    imagePackage.put("versionInfo", digest.toString());
    imagePackage.put("downloadLocation", "NOASSERTION");
    imagePackage.put("filesAnalyzed", false);
    imagePackage.put("primaryPackagePurpose", "CONTAINER");
    relationships
        .addObject()
        .put("spdxElementId", "SPDXRef-DOCUMENT")
        .put("relationshipType", "DESCRIBES")
        .put("relatedSpdxElement", "SPDXRef-Image");
    Set<String> ids = new HashSet<>();
    TreeSet<String> licenseRefs = new TreeSet<>();
    for (InstalledPackage p : image.packages()) {
      String id = uniqueId("SPDXRef-Package-" + purlType(p) + "-" + p.name() + "-" + p.arch(), ids);
      ObjectNode node = packages.addObject();
      node.put("name", p.name());
      node.put("SPDXID", id);
      node.put("versionInfo", p.fullVersion());
      node.put("downloadLocation", "NOASSERTION");
      node.put("filesAnalyzed", false);
      node.put("licenseConcluded", "NOASSERTION");
      String declared = "NOASSERTION";
      if (p.license().isPresent()) {
        SpdxLicense license =
            p.format() == PackageFormat.RPM
                ? SpdxLicense.fromRpm(p.license().get())
                : SpdxLicense.fromDebian(p.license().get());
        declared = license.expression();
        licenseRefs.addAll(license.licenseRefs());
      }
      node.put("licenseDeclared", declared);
      node.put("copyrightText", "NOASSERTION");
      p.source().ifPresent(s -> node.put("sourceInfo", "built package from: " + s));
      node.putArray("externalRefs")
          .addObject()
          .put("referenceCategory", "PACKAGE-MANAGER")
          .put("referenceType", "purl")
          .put("referenceLocator", purl(image.distribution(), p));
      relationships
          .addObject()
          .put("spdxElementId", "SPDXRef-Image")
          .put("relationshipType", "CONTAINS")
          .put("relatedSpdxElement", id);
    }
    if (!licenseRefs.isEmpty()) {
      ArrayNode extracted = doc.putArray("hasExtractedLicensingInfos");
      for (String ref : licenseRefs) {
        extracted
            .addObject()
            .put("licenseId", ref)
            .put(
                "extractedText",
                "A license named in a Debian copyright file or an RPM header with no SPDX"
                    + " identifier: "
                    + ref.substring("LicenseRef-".length()));
      }
    }
    doc.set("relationships", relationships);
    return doc;
  }

  private static String uniqueId(String wanted, Set<String> taken) {
    String base = wanted.replaceAll("[^A-Za-z0-9.-]", "-");
    String id = base;
    for (int n = 2; !taken.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  private static String purlType(InstalledPackage p) {
    return p.format() == PackageFormat.RPM ? "rpm" : "deb";
  }

  /**
   * The package URL: {@code pkg:deb/<distro>/<name>@<full version>?arch=…}, and for rpm the purl
   * spec's form, {@code pkg:rpm/<vendor>/<name>@<version>-<release>?arch=…&epoch=…} (the epoch as a
   * qualifier, qualifiers sorted by key). The namespace is left out when the distribution is
   * unknown.
   */
  private static String purl(String distribution, InstalledPackage p) {
    boolean rpm = p.format() == PackageFormat.RPM;
    String version = rpm ? p.version() + p.release().map(r -> "-" + r).orElse("") : p.fullVersion();
    StringBuilder purl = new StringBuilder("pkg:").append(purlType(p)).append('/');
    if (!distribution.isEmpty()) {
      purl.append(URLEncoder.encode(distribution, StandardCharsets.UTF_8)).append('/');
    }
    purl.append(URLEncoder.encode(p.name(), StandardCharsets.UTF_8))
        .append('@')
        .append(URLEncoder.encode(version, StandardCharsets.UTF_8));
    List<String> qualifiers = new ArrayList<>();
    if (!p.arch().isEmpty()) {
      qualifiers.add("arch=" + URLEncoder.encode(p.arch(), StandardCharsets.UTF_8));
    }
    if (rpm) {
      p.epoch().ifPresent(e -> qualifiers.add("epoch=" + e));
    }
    return qualifiers.isEmpty() ? purl.toString() : purl + "?" + String.join("&", qualifiers);
  }
}
