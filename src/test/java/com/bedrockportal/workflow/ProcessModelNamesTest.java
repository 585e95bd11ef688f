package com.bedrockportal.workflow;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Error;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process models in {@code bpmn/} are the source (edited in Camunda Modeler); the Java code names their
 * processes, activities, messages, errors, variables and beans. This keeps both sides honest: every name the code
 * uses exists in a model, and every message, error and bean a model uses is known to the code.
 */
class ProcessModelNamesTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\s*!?\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern EXPRESSION_BODY = Pattern.compile("\\$\\{([^}]*)}");
    /** An identifier that is not a member ({@code .name}) of something else. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_][A-Za-z0-9_]*)");

    private static List<BpmnModelInstance> models;
    private static String xml;

    @BeforeAll
    static void readModels() throws Exception {
        models = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("bpmn"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList()) {
                models.add(Bpmn.readModelFromFile(new File(file.toString())));
                all.append(Files.readString(file));
            }
        }
        xml = all.toString();
        assertThat(models).isNotEmpty();
    }

    @Test
    void everyNameTheCodeUsesExistsInAModel() throws Exception {
        Set<String> processes = ids(Process.class);
        Set<String> activities = ids(FlowNode.class);
        Set<String> messages = elements(Message.class).stream().map(Message::getName).collect(Collectors.toSet());
        Set<String> expressionNames = identifiersInExpressions();
        for (Field field : ProcessVariables.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
                continue;
            }
            String name = field.getName();
            String value = (String) field.get(null);
            if (name.endsWith("PROCESS_KEY")) {
                assertThat(processes).as(name).contains(value);
            } else if (name.startsWith("TASK_") || name.startsWith("REMIND_")) {
                assertThat(activities).as(name).contains(value);
            } else if (name.startsWith("FLOW_")) {
                assertThat(ids(org.camunda.bpm.model.bpmn.instance.SequenceFlow.class)).as(name).contains(value);
            } else if (name.startsWith("MESSAGE_")) {
                assertThat(messages).as(name).contains(value);
            } else if (name.equals("SECURITY_GROUP")) {
                assertThat(xml).as(name).contains("camunda:candidateGroups=\"" + value + "\"");
            } else {
                assertThat(expressionNames).as("variable %s", name).contains(value);
            }
        }
        assertThat(elements(Error.class).stream().map(Error::getErrorCode))
                .contains(ProvisioningDelegates.ERROR_CODE, DecommissionDelegates.ERROR_CODE,
                        com.bedrockportal.lifecycle.Rotations.ERROR_CODE,
                        CompromiseDelegates.ERROR_CODE);
    }

    @Test
    void everyMessageAndErrorOfTheModelsIsKnownToTheCode() throws Exception {
        Set<String> constants = processVariableValues();
        assertThat(elements(Message.class)).extracting(Message::getName).allMatch(constants::contains);
        assertThat(elements(Error.class)).extracting(Error::getErrorCode)
                .containsOnly(ProvisioningDelegates.ERROR_CODE, DecommissionDelegates.ERROR_CODE,
                        com.bedrockportal.lifecycle.Rotations.ERROR_CODE,
                        CompromiseDelegates.ERROR_CODE);
    }

    /** The beans the models name are exactly the ones the engine exposes to expressions. */
    @Test
    void theExposedBeansAreExactlyTheBeansTheModelsName() throws Exception {
        Set<String> variables = processVariableValues();
        Set<String> beans = expressionNames().stream().filter(n -> !variables.contains(n))
                .collect(Collectors.toSet());
        assertThat(beans).containsExactlyInAnyOrderElementsOf(ProcessBeans.EXPOSED);
    }

    @Test
    void everyModelHasItsDiagram() {
        assertThat(xml).contains("bpmndi:BPMNDiagram");
        for (BpmnModelInstance model : models) {
            assertThat(model.getDefinitions().getBpmDiagrams()).isNotEmpty();
        }
    }

    private static Set<String> identifiersInExpressions() {
        Set<String> names = new HashSet<>();
        Matcher body = EXPRESSION_BODY.matcher(xml);
        while (body.find()) {
            Matcher id = IDENTIFIER.matcher(body.group(1));
            while (id.find()) {
                names.add(id.group(1));
            }
        }
        return names;
    }

    /**
     * What waits on an earlier model (kept in model-history, driven by ModelUpgradeIT) evaluates its expressions on
     * this code: each names an exposed bean, a variable the code sets, or the compromise decision that only the model
     * of 2 December reads.
     */
    @Test
    void everyNameAnEarlierModelUsesIsStillABeanOrAVariable() throws Exception {
        Set<String> known = new HashSet<>(ProcessBeans.EXPOSED);
        known.addAll(processVariableValues());
        known.add(CompromiseDelegates.EARLIER_DECISION_VARIABLE);
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/model-history"))) {
            List<Path> earlier = files.filter(f -> f.toString().endsWith(".bpmn")).toList();
            assertThat(earlier).isNotEmpty();
            for (Path file : earlier) {
                assertThat(known).as(file.toString()).containsAll(expressionNames(Files.readString(file)));
            }
        }
    }

    /** The values of ProcessVariables' string constants (names of processes, variables, tasks, messages …). */
    private static Set<String> processVariableValues() throws IllegalAccessException {
        Set<String> values = new HashSet<>();
        for (Field field : ProcessVariables.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }

    private static Set<String> expressionNames() {
        return expressionNames(xml);
    }

    private static Set<String> expressionNames(String xml) {
        Set<String> names = new HashSet<>();
        Matcher m = EXPRESSION.matcher(xml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static <T extends BaseElement> Set<String> ids(Class<T> type) {
        return elements(type).stream().map(BaseElement::getId).collect(Collectors.toSet());
    }

    private static <T extends org.camunda.bpm.model.xml.instance.ModelElementInstance> List<T> elements(Class<T> type) {
        return models.stream().flatMap(m -> m.getModelElementsByType(type).stream()).map(type::cast).toList();
    }
}
