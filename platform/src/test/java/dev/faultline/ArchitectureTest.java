package dev.faultline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the README promises: a feature is a folder, the host wires a list of
 * them, and no package depends back on one that depends on it.
 */
class ArchitectureTest {

  /** Faultline's own feature packages (a library's package that happens to be called cache is not one). */
  private static final String[] FEATURES = {"dev.faultline.auth..", "dev.faultline.cache..", "dev.faultline.callerlimit..",
      "dev.faultline.faults..", "dev.faultline.ipfilter..", "dev.faultline.logs..", "dev.faultline.metrics..",
      "dev.faultline.telemetry.."};

  private static JavaClasses platform;

  @BeforeAll
  static void read() {
    platform = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.faultline");
  }

  /** Every package on its own, sub-packages included (proxy.request, proxy.control). */
  @Test
  void noPackageCycles() {
    slices().matching("dev.faultline.(**)").should().beFreeOfCycles().check(platform);
  }

  /** The request path serves requests; the control plane (manager, store) starts and stops it. */
  @Test
  void theRequestPathKnowsNothingOfTheControlPlane() {
    noClasses().that().resideInAPackage("dev.faultline.proxy.request")
        .should().dependOnClassesThat().resideInAPackage("dev.faultline.proxy.control")
        .check(platform);
    noClasses().that().resideInAPackage("dev.faultline.proxy")
        .should().dependOnClassesThat().resideInAnyPackage("dev.faultline.proxy.request", "dev.faultline.proxy.control")
        .check(platform);
  }

  /** Only the launcher knows the features; the shared parts (proxy engine, admin server, store) know none. */
  @Test
  void theSharedPartsKnowNoFeature() {
    noClasses().that().resideInAnyPackage("..api..", "..proxy..", "..store..", "..plugins..", "..server..",
            "..feature..", "..access..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .check(platform);
  }

  @Test
  void nothingButTheLauncherKnowsTheLauncher() {
    noClasses().that().resideOutsideOfPackage("..launcher..")
        .should().dependOnClassesThat().resideInAPackage("..launcher..")
        .check(platform);
  }
}
