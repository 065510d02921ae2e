import { DeliveryId, EndpointId, MessageId } from '../ids';

export interface EndpointAutoDisabledV1 {
  type: 'endpoint.auto_disabled.v1';
  data: {
    endpoint_id: EndpointId;
    reason: 'gone' | 'failing';
    detail: string;
    /**
     * The endpoint's version the dispatcher decided on. The disable applies only while the endpoint is still at it: a
     * later change (a re-enable above all) wins, also when this event is read again after it. Absent in events written
     * before this field existed, which apply unconditionally.
     */
    endpoint_version?: number;
  };
}
export interface DeliveryAttemptsExhaustedV1 {
  type: 'delivery.attempts_exhausted.v1';
  data: { delivery_id: DeliveryId; message_id: MessageId; endpoint_id: EndpointId; attempts: number; last_error: string };
}
export interface EndpointBreakerChangedV1 {
  type: 'endpoint.breaker_changed.v1';
  data: { endpoint_id: EndpointId; state: 'closed' | 'open' | 'half_open'; failure_ratio: number };
}

/** Every event on the operational topic. */
export type OperationalEvent = EndpointAutoDisabledV1 | DeliveryAttemptsExhaustedV1 | EndpointBreakerChangedV1;
