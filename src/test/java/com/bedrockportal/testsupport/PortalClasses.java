package com.bedrockportal.testsupport;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.TypeFilter;

/** The portal's own classes, read from the class path without loading them: for tests that check a rule on all. */
public final class PortalClasses {

    private PortalClasses() {
    }

    /** The names of the classes under {@code com.bedrockportal} (interfaces and abstract ones too) any filter takes. */
    public static Set<String> matching(TypeFilter... filters) {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return true;
            }
        };
        for (TypeFilter filter : filters) {
            scan.addIncludeFilter(filter);
        }
        return scan.findCandidateComponents("com.bedrockportal").stream().map(BeanDefinition::getBeanClassName)
                .collect(Collectors.toSet());
    }
}
