package com.bedrockportal.identity;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;

import com.bedrockportal.testsupport.PortalClasses;

import jakarta.annotation.security.RolesAllowed;

import org.junit.jupiter.api.Test;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PostFilter;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.access.prepost.PreFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's method security reads {@code @RolesAllowed} only ({@link ServiceMethodSecurity}; {@link SecurityConfig}
 * leaves Spring's pre/post advisors off). An annotation of the other kinds would be ignored without a word and the
 * method left open, so none may be used anywhere in the portal.
 */
class MethodSecurityAnnotationsTest {

    static final List<Class<? extends Annotation>> IGNORED = List.of(PreAuthorize.class, PostAuthorize.class,
            PreFilter.class, PostFilter.class, Secured.class);

    @Test
    void noClassOfThePortalUsesAnAnnotationItsMethodSecurityDoesNotRead() {
        assertThat(annotatedWith(IGNORED)).isEmpty();
    }

    @Test
    void theScanFindsTheAnnotationThatIsRead() {
        assertThat(annotatedWith(List.of(RolesAllowed.class))).as("services and views with @RolesAllowed")
                .contains("com.bedrockportal.request.RequestService");
    }

    /** Classes under com.bedrockportal with one of the annotations on the class or on a method. */
    private static Set<String> annotatedWith(List<Class<? extends Annotation>> annotations) {
        return PortalClasses.matching((reader, factory) -> {
            AnnotationMetadata metadata = reader.getAnnotationMetadata();
            return annotations.stream().map(Class::getName).anyMatch(a -> metadata.hasAnnotation(a)
                    || metadata.hasMetaAnnotation(a) || metadata.hasAnnotatedMethods(a));
        });
    }
}
