/** Request views: the form with its policy preview, "my requests", and the status badge other views reuse. */
@org.springframework.modulith.NamedInterface("ui")
package com.bedrockportal.request.ui;
