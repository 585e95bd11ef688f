package com.bedrockportal.workflow;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.spring.SpringExpressionManager;
import org.camunda.bpm.impl.juel.jakarta.el.CompositeELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ELContext;
import org.camunda.bpm.impl.juel.jakarta.el.ELException;
import org.camunda.bpm.impl.juel.jakarta.el.ELResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * What the process models' expressions may reach: exactly the beans they name, nothing else of the application
 * context (no {@code apiKeys}, no services), and no reflection ({@code getClass()} and the {@code class} property are
 * refused on every object). A model asking for another bean fails with "Unknown property used in expression".
 * {@code ProcessModelNamesTest} keeps this list equal to the names the models in {@code bpmn/} use.
 */
@Component
class ProcessBeans extends AbstractProcessEnginePlugin {

    /** The beans the models in {@code bpmn/} name in expressions. */
    static final Set<String> EXPOSED = Set.of(
            "approvalTaskCreatedListener", "approvalTimers", "approvers", "routes", "provisioningSettings",
            "remindApproversDelegate", "expireRequestDelegate", "notifyRejectedDelegate", "notifyApprovedDelegate",
            "recordWithdrawalDelegate",
            "ensureIamUserDelegate", "applyPolicyDelegate", "createApiKeyDelegate", "createBudgetDelegate",
            "storeSecretDelegate", "notifyKeyReadyDelegate", "notifyProvisioningFailedDelegate",
            "revokeUnrevealedKeyDelegate",
            // bedrock-application-decommission
            "decommissionApprovers", "deleteKeysDelegate", "deletePolicyDelegate", "deleteBudgetDelegate",
            "deleteSecretDelegate", "deleteIamUserDelegate", "markDecommissionedDelegate",
            // bedrock-key-rotation
            "rotationTimers", "rotationMakeRoomDelegate", "rotationCreateKeyDelegate", "rotationRevealedDelegate",
            "rotationRevealExpiredDelegate", "rotationCheckCutOverDelegate", "rotationDisableOldDelegate",
            "rotationDeleteOldDelegate",
            // bedrock-key-compromise
            "compromiseSettings", "disableCompromisedKeyDelegate", "notifyCompromiseDelegate",
            "gatherEvidenceDelegate", "reenableFalseAlarmKeyDelegate", "startCompromiseRotationDelegate",
            "deleteCompromisedKeyDelegate", "escalateReportDelegate", "closeCompromiseDelegate",
            // bedrock-access-review
            "processSchedules", "reviewSettings", "reviewOpenCampaignDelegate", "reviewRemindDelegate", "reviewMissedDelegate",
            "reviewCloseCampaignDelegate");

    private final ApplicationContext context;

    ProcessBeans(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        // The engine factory has already set a SpringExpressionManager that sees the whole context: replace it.
        configuration.setExpressionManager(new GuardedExpressionManager(context, exposed(context)));
    }

    /** A read-only map of the exposed beans, looked up when an expression first names them. */
    static Map<Object, Object> exposed(ApplicationContext context) {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<Object, Object>> entrySet() {
                return EXPOSED.stream().map(name -> Map.entry((Object) name, context.getBean(name)))
                        .collect(Collectors.toSet());
            }

            @Override
            public boolean containsKey(Object key) {
                return EXPOSED.contains(key);
            }

            @Override
            public Object get(Object key) {
                return EXPOSED.contains(key) ? context.getBean((String) key) : null;
            }
        };
    }

    /** Spring's expression manager with the bean map above and a reflection guard in front of every resolver. */
    static final class GuardedExpressionManager extends SpringExpressionManager {
        GuardedExpressionManager(ApplicationContext context, Map<Object, Object> beans) {
            super(context, beans);
        }

        @Override
        protected ELResolver createElResolver() {
            CompositeELResolver guarded = new CompositeELResolver();
            guarded.add(new NoReflection());
            guarded.add(super.createElResolver());
            return guarded;
        }
    }

    /** Refuses {@code x.class} and {@code x.getClass()}: the first step of every path to reflection in JUEL. */
    static final class NoReflection extends ELResolver {
        @Override
        public Object getValue(ELContext context, Object base, Object property) {
            if (base != null && "class".equals(property)) {
                throw new ELException("Reflection is not allowed in process expressions.");
            }
            return null;
        }

        @Override
        public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
            if (base != null && ("getClass".equals(method) || "forName".equals(method))) {
                throw new ELException("Reflection is not allowed in process expressions.");
            }
            return null;
        }

        @Override
        public Class<?> getType(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public void setValue(ELContext context, Object base, Object property, Object value) {
            // not resolved here
        }

        @Override
        public boolean isReadOnly(ELContext context, Object base, Object property) {
            return false;
        }

        @Override
        public java.util.Iterator<java.beans.FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
            return null;
        }

        @Override
        public Class<?> getCommonPropertyType(ELContext context, Object base) {
            return null;
        }
    }
}
