package io.makegood.credit;

public enum CompensationKind {

	PERCENT_OF_FEE, FIXED, COMPLIMENTARY, NONE

}
