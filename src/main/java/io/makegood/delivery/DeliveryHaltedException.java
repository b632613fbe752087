package io.makegood.delivery;

/** Delivery stopped on purpose; every unsent row is still PENDING or RETRY, so a rerun resumes. */
public class DeliveryHaltedException extends RuntimeException {

	public DeliveryHaltedException(String message) {
		super(message);
	}

}
