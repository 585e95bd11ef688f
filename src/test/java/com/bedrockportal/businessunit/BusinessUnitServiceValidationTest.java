package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.shared.FieldErrors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** Drafts that never passed through the view are refused by the service, field by field, and nothing is stored. */
class BusinessUnitServiceValidationTest {

    final BusinessUnitRepository repository = mock(BusinessUnitRepository.class);
    final AuditLog audit = mock(AuditLog.class);
    final BusinessUnitService service = new BusinessUnitService(repository, audit, mock(CurrentUser.class), List.of(),
            BusinessUnitDraftTest.RULES, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), List.of(),
            mock(org.springframework.context.ApplicationEventPublisher.class),
            new org.springframework.beans.factory.support.StaticListableBeanFactory()
                    .getBeanProvider(UnitApplications.class));

    @Test
    void badFieldsAreRefusedBeforeAnyLookUpOrInsert() {
        BusinessUnitDraft d = BusinessUnitDraftTest.draft("Bad Slug");
        d.setDisplayName("n".repeat(100_000));
        d.setMembers(IntStream.range(0, 10_000).mapToObj(i -> "user" + i).collect(Collectors.toSet()));
        assertThatThrownBy(() -> service.create(d)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("slug", "displayName", "members")
                        .containsEntry("displayName", "At most 120 characters.")
                        .containsEntry("members", "At most 500 people."));
        verify(repository, never()).findBySlug(anyString());
        verify(repository, never()).insert(any(), any());
        verifyNoInteractions(audit);
    }

    @Test
    void aTakenSlugIsRefusedOnTheSlugField() {
        BusinessUnit existing = new BusinessUnit(1, "marketing", "Marketing", "CC-1", "o@example.com",
                new BigDecimal("500"), false, Set.of("mike"), Set.of(), Instant.EPOCH, Instant.EPOCH, 0);
        when(repository.findBySlug("marketing")).thenReturn(Optional.of(existing));
        assertThatThrownBy(() -> service.create(BusinessUnitDraftTest.draft("  marketing "))).isInstanceOfSatisfying(
                FieldErrors.class, e -> assertThat(e.errors()).containsOnly(
                        org.assertj.core.api.Assertions.entry("slug",
                                "The slug 'marketing' is already used by another business unit.")));
        verify(repository, never()).insert(any(), any());
    }

    @Test
    void anUpdateWithABadFieldChangesNothing() {
        BusinessUnit existing = new BusinessUnit(1, "marketing", "Marketing", "CC-1", "o@example.com",
                new BigDecimal("500"), false, Set.of("mike"), Set.of(), Instant.EPOCH, Instant.EPOCH, 0);
        when(repository.findById(1)).thenReturn(Optional.of(existing));
        BusinessUnitDraft edit = BusinessUnitDraft.of(existing);
        edit.setCostCenter("CC;1");
        edit.setManagers(Set.of());
        assertThatThrownBy(() -> service.update(edit)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("costCenter", "managers"));
        verify(repository, never()).update(any(), any());
        verifyNoInteractions(audit);
    }
}
