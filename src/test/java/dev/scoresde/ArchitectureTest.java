package dev.scoresde;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main code, from its bytecode (every reference counts, not only imports): no package
 * depends on itself through others, and the layering of docs/architecture.md holds.
 */
class ArchitectureTest {

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.scoresde");
  }

  @Test
  void noTopLevelPackageCycle() {
    slices().matching("dev.scoresde.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void noPackageCycleAtAnyDepth() {
    slices().matching("dev.scoresde.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theSdesNeedNoScoreModel() {
    noClasses().that().resideInAPackage("dev.scoresde.sde..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.scoresde.score..", "dev.scoresde.nn..", "dev.scoresde.sampling..")
        .check(main);
  }

  @Test
  void checkpointsKnowNoController() {
    noClasses().that().resideInAPackage("dev.scoresde.checkpoint..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.scoresde.control..", "dev.scoresde.eval..", "dev.scoresde.train..",
            "dev.scoresde.serve..", "dev.scoresde.api..")
        .check(main);
  }

  @Test
  void servingAndEvaluationDoNotTrain() {
    noClasses().that().resideInAnyPackage("dev.scoresde.serve..", "dev.scoresde.eval..", "dev.scoresde.api..")
        .should().dependOnClassesThat().resideInAPackage("dev.scoresde.train..").check(main);
  }

  @Test
  void theAlgorithmsKnowNothingOfSpringOrHttp() {
    noClasses().that().resideInAnyPackage("dev.scoresde.sde..", "dev.scoresde.score..", "dev.scoresde.sampling..",
            "dev.scoresde.likelihood..", "dev.scoresde.control..", "dev.scoresde.nn..", "dev.scoresde.tensor..",
            "dev.scoresde.image..", "dev.scoresde.data..", "dev.scoresde.optim..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..",
            "dev.scoresde.serve..", "dev.scoresde.api..")
        .check(main);
  }

  @Test
  void onlyTheWebLayerKnowsHttp() {
    noClasses().that().resideOutsideOfPackage("dev.scoresde.api..").should().dependOnClassesThat()
        .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..").check(main);
  }
}
