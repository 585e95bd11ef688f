package com.bedrockportal.shared;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * The field rules of the forms' drafts (Jakarta Bean Validation annotations on the draft) and the texts of the rules
 * a service adds itself (unique, known, allowed, parsable). Every message comes from the one translation bundle,
 * {@value #BUNDLE}: annotations name a key ({@code {request.purpose.short}}), services call {@link #text}. The views'
 * binders run the same rules through {@link #checkProperty}, so a message reads the same before and after submitting.
 */
public class FormValidation {

    /** The translation bundle Vaadin reads ({@code getTranslation}); the validator and the services read it too. */
    public static final String BUNDLE = "vaadin-i18n/translations";

    /**
     * Which message a field shows when it breaks several rules: missing first, then size and range (a slug too long
     * also breaks its pattern; the length says more), then format, then decimal places (a huge amount breaks its
     * range and its digits; the range says more).
     */
    private static final Comparator<ConstraintViolation<?>> FIRST_SHOWN = Comparator
            .<ConstraintViolation<?>>comparingInt(v -> rank(v.getConstraintDescriptor().getAnnotation()))
            .thenComparing(v -> v.getPropertyPath().toString());

    private final Validator validator;
    private final MessageSource messages;

    public FormValidation(Validator validator, MessageSource messages) {
        this.validator = validator;
        this.messages = messages;
    }

    /** Runs every field rule of the draft: one message per failing field, under the field's name. */
    public FieldErrors.Collector check(Object draft) {
        FieldErrors.Collector errors = new FieldErrors.Collector();
        validator.validate(draft).stream().sorted(FIRST_SHOWN).forEach(v -> errors.add(field(v), v.getMessage()));
        return errors;
    }

    /** The message of the rule {@code value} breaks as {@code property} of {@code type}, if any (a form's live check). */
    public <T> Optional<String> checkProperty(Class<T> type, String property, Object value) {
        Set<ConstraintViolation<T>> violations = validator.validateValue(type, property, value);
        return violations.stream().sorted(FIRST_SHOWN).findFirst().map(ConstraintViolation::getMessage);
    }

    /** A text of the translation bundle in the caller's language, {@code {0}}, {@code {1}}, … filled in. */
    public String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    /** The translation bundle as a Spring {@link MessageSource} (UTF-8, like Vaadin reads it). */
    public static ResourceBundleMessageSource bundle() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename(BUNDLE);
        source.setDefaultEncoding(StandardCharsets.UTF_8.name());
        source.setFallbackToSystemLocale(false);
        return source;
    }

    /** A Bean Validation validator whose {@code {key}} messages come from {@code messages}. */
    public static LocalValidatorFactoryBean validator(MessageSource messages) {
        LocalValidatorFactoryBean factory = new LocalValidatorFactoryBean();
        factory.setValidationMessageSource(messages);
        return factory;
    }

    /** The same rules and texts without a Spring context (unit tests). */
    public static FormValidation standalone() {
        ResourceBundleMessageSource messages = bundle();
        LocalValidatorFactoryBean factory = validator(messages);
        factory.afterPropertiesSet();
        return new FormValidation(factory, messages);
    }

    private static String field(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getName() != null) {
                return node.getName();
            }
        }
        return "form";
    }

    private static int rank(Annotation constraint) {
        Class<? extends Annotation> type = constraint.annotationType();
        if (type == NotNull.class || type == NotBlank.class || type == NotEmpty.class) {
            return 0;
        }
        if (type == Pattern.class) {
            return 2;
        }
        return type == Digits.class ? 3 : 1;
    }
}
