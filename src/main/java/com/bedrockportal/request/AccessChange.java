package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a change request does to its application's access: the models, regions and source-IP ranges it adds and
 * removes, and the lifetime, budget, Secrets Manager copy and classification before and after. {@link #widenings()}
 * says whether (and how) it widens access: a change that widens nothing — only removes, narrows or lowers — needs the
 * manager's approval only; anything else goes to security as a new application does.
 *
 * <p>A new key is another live credential and widens access — except in a {@code renewal}: a new key with exactly
 * the application's access, for a key that runs out by itself (the expiry watch's Renew). Only when nothing else
 * changes; a renewal that also changes anything else is judged like any change.
 */
public record AccessChange(List<String> modelsAdded, List<String> modelsRemoved, List<String> regionsAdded,
        List<String> regionsRemoved, List<String> cidrsAdded, List<String> cidrsRemoved, int lifetimeBefore,
        int lifetimeAfter, BigDecimal budgetBefore, BigDecimal budgetAfter, boolean secretBefore, boolean secretAfter,
        DataClassification classificationBefore, DataClassification classificationAfter, boolean newKey,
        Set<Widening> widenings, boolean renewal) {

    /** How a change widens access (each sends it to security). */
    public enum Widening {
        MODELS_ADDED, REGIONS_ADDED, SOURCE_IPS_WIDENED, LIFETIME_LONGER, BUDGET_HIGHER, SECRET_COPY_ADDED,
        CLASSIFICATION_HIGHER, NEW_KEY
    }

    /** No change (a new application's request). */
    public static final AccessChange NONE = new AccessChange(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, false, false, DataClassification.INTERNAL,
            DataClassification.INTERNAL, false, Set.of(), false);

    public AccessChange {
        widenings = Set.copyOf(widenings);
    }

    /** The difference between the access a change starts from and the access it asks for. */
    public static AccessChange between(AccessRequest.Baseline before, AccessRequest after) {
        return between(before, after.models(), after.regions(), after.sourceCidrs(), after.lifetimeDays(),
                after.monthlyBudget(), after.storeSecret(), after.dataClassification(), after.newKey(),
                after.renewal());
    }

    static AccessChange between(AccessRequest.Baseline before, List<String> models, List<String> regions,
            List<String> cidrs, int lifetime, BigDecimal budget, boolean secret, DataClassification classification,
            boolean newKey) {
        return between(before, models, regions, cidrs, lifetime, budget, secret, classification, newKey, false);
    }

    /** {@code renewal}: asked as a renewal; it counts only when the new key is the one thing that changes. */
    static AccessChange between(AccessRequest.Baseline before, List<String> models, List<String> regions,
            List<String> cidrs, int lifetime, BigDecimal budget, boolean secret, DataClassification classification,
            boolean newKey, boolean renewal) {
        Set<Widening> widenings = EnumSet.noneOf(Widening.class);
        List<String> modelsAdded = minus(models, before.models());
        List<String> regionsAdded = minus(regions, before.regions());
        List<String> cidrsAdded = minus(cidrs, before.sourceCidrs());
        if (!modelsAdded.isEmpty()) {
            widenings.add(Widening.MODELS_ADDED);
        }
        if (!regionsAdded.isEmpty()) {
            widenings.add(Widening.REGIONS_ADDED);
        }
        if (sourceIpsWiden(before.sourceCidrs(), cidrs)) {
            widenings.add(Widening.SOURCE_IPS_WIDENED);
        }
        if (lifetime > before.lifetimeDays()) {
            widenings.add(Widening.LIFETIME_LONGER);
        }
        if (budget.compareTo(before.monthlyBudget()) > 0) {
            widenings.add(Widening.BUDGET_HIGHER);
        }
        if (secret && !before.storeSecret()) {
            widenings.add(Widening.SECRET_COPY_ADDED);
        }
        if (classification.compareTo(before.dataClassification()) > 0) {
            widenings.add(Widening.CLASSIFICATION_HIGHER);
        }
        List<String> modelsRemoved = minus(before.models(), models);
        List<String> regionsRemoved = minus(before.regions(), regions);
        List<String> cidrsRemoved = minus(before.sourceCidrs(), cidrs);
        boolean sameAccess = modelsAdded.isEmpty() && modelsRemoved.isEmpty() && regionsAdded.isEmpty()
                && regionsRemoved.isEmpty() && cidrsAdded.isEmpty() && cidrsRemoved.isEmpty()
                && lifetime == before.lifetimeDays() && budget.compareTo(before.monthlyBudget()) == 0
                && secret == before.storeSecret() && classification == before.dataClassification();
        boolean isRenewal = renewal && newKey && sameAccess;
        if (newKey && !isRenewal) {
            widenings.add(Widening.NEW_KEY);
        }
        return new AccessChange(modelsAdded, modelsRemoved, regionsAdded, regionsRemoved, cidrsAdded, cidrsRemoved,
                before.lifetimeDays(), lifetime, before.monthlyBudget(), budget, before.storeSecret(), secret,
                before.dataClassification(), classification, newKey, widenings, isRenewal);
    }

    /** Whether the change widens access in any way (then security reviews it). */
    public boolean widens() {
        return !widenings.isEmpty();
    }

    /** Whether it changes anything at all (a change that changes nothing is refused). */
    public boolean changesAnything() {
        return newKey || !modelsAdded.isEmpty() || !modelsRemoved.isEmpty() || !regionsAdded.isEmpty()
                || !regionsRemoved.isEmpty() || !cidrsAdded.isEmpty() || !cidrsRemoved.isEmpty()
                || lifetimeBefore != lifetimeAfter || budgetBefore.compareTo(budgetAfter) != 0
                || secretBefore != secretAfter || classificationBefore != classificationAfter;
    }

    /**
     * No ranges means any address. Lifting the restriction widens; adding one where there was none narrows;
     * otherwise every new range must lie inside one of the old ones.
     */
    static boolean sourceIpsWiden(List<String> before, List<String> after) {
        if (before.isEmpty()) {
            return false;
        }
        if (after.isEmpty()) {
            return true;
        }
        List<Cidr> old = new ArrayList<>();
        for (String text : before) {
            old.add(Cidr.parse(text));
        }
        for (String text : after) {
            Cidr range = Cidr.parse(text);
            if (old.stream().noneMatch(o -> o.contains(range))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        b.forEach(out::remove);
        return List.copyOf(out);
    }
}
