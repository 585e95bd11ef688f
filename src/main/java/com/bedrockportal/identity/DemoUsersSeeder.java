package com.bedrockportal.identity;

import java.util.Set;
import java.util.stream.Collectors;

import com.bedrockportal.identity.devidp.DemoUser;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** In the embedded mode, lists the demo users in the directory so admins can pick them before they log in. */
@Component
@Order(0)
class DemoUsersSeeder implements ApplicationRunner {

    private final IdentityProperties props;
    private final UserDirectory directory;

    DemoUsersSeeder(IdentityProperties props, UserDirectory directory) {
        this.props = props;
        this.directory = directory;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!props.embedded()) {
            return;
        }
        GroupsAuthoritiesMapper mapper = new GroupsAuthoritiesMapper(props);
        for (DemoUser user : DemoUser.defaults()) {
            Set<PortalRole> roles = mapper.rolesFor(user.groups()).stream().collect(Collectors.toSet());
            directory.seedIfAbsent(user.username(), user.displayName(), user.email(), roles);
        }
    }
}
