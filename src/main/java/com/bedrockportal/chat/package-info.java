/**
 * Chat approvals: Approve and Reject clicked on a unit's Slack messages, verified by Slack's request signature and
 * decided through the approval service as the portal user with the clicker's e-mail address. The messages themselves
 * (and the units' webhooks) belong to the notification module.
 */
package com.bedrockportal.chat;
