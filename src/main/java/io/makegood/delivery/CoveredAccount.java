package io.makegood.delivery;

import io.makegood.credit.Credit;

/**
 * Another account that shares the recipient's email address. One address gets one message, so that message
 * lists what each of its accounts received.
 *
 * @param credit null when the account got nothing
 */
public record CoveredAccount(String accountId, Credit credit) {
}
