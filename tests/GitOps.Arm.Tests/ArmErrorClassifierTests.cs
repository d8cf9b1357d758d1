using GitOps.Core.Ports;

namespace GitOps.Arm.Tests;

public class ArmErrorClassifierTests
{
    [Theory]
    [InlineData("Conflict", 409, ArmErrorKind.Transient)]
    [InlineData("AnotherOperationInProgress", 409, ArmErrorKind.Transient)]
    [InlineData("RetryableError", 409, ArmErrorKind.Transient)]
    [InlineData("RetryableErrorDueToAnotherOperation", 429, ArmErrorKind.Transient)]
    [InlineData("ResourceGroupBeingDeleted", 409, ArmErrorKind.Transient)]
    [InlineData("SubscriptionRequestsThrottled", 429, ArmErrorKind.Transient)]
    [InlineData("TooManyRequests", 429, ArmErrorKind.Transient)]
    [InlineData("InternalServerError", 500, ArmErrorKind.Transient)]
    [InlineData("ServiceUnavailable", 503, ArmErrorKind.Transient)]
    [InlineData("GatewayTimeout", 504, ArmErrorKind.Transient)]
    [InlineData("ParentResourceNotFound", 404, ArmErrorKind.Transient)]
    [InlineData("ResourceNotFound", 404, ArmErrorKind.Transient)]
    [InlineData("InvalidParameter", 400, ArmErrorKind.Fatal)]
    [InlineData("InvalidRequestContent", 400, ArmErrorKind.Fatal)]
    [InlineData("BadRequest", 400, ArmErrorKind.Fatal)]
    [InlineData("LinkedAuthorizationFailed", 403, ArmErrorKind.Fatal)]
    [InlineData("AuthorizationFailed", 403, ArmErrorKind.Fatal)]
    [InlineData("InvalidTemplate", 400, ArmErrorKind.Fatal)]
    [InlineData("SkuNotAvailable", 409, ArmErrorKind.Fatal)]
    [InlineData("QuotaExceeded", 409, ArmErrorKind.Fatal)]
    [InlineData("InvalidResourceName", 400, ArmErrorKind.Fatal)]
    [InlineData("MissingSubscriptionRegistration", 409, ArmErrorKind.Fatal)]
    [InlineData("invalidparameter", 400, ArmErrorKind.Fatal)]
    [InlineData("ANOTHEROPERATIONINPROGRESS", 409, ArmErrorKind.Transient)]
    // Codes the table does not know: the HTTP status decides.
    [InlineData("SomethingNew", 400, ArmErrorKind.Fatal)]
    [InlineData("SomethingNew", 403, ArmErrorKind.Fatal)]
    [InlineData("SomethingNew", 404, ArmErrorKind.Fatal)]
    [InlineData("SomethingNew", 408, ArmErrorKind.Transient)]
    [InlineData("SomethingNew", 409, ArmErrorKind.Transient)]
    [InlineData("SomethingNew", 429, ArmErrorKind.Transient)]
    [InlineData("SomethingNew", 500, ArmErrorKind.Transient)]
    [InlineData("SomethingNew", 503, ArmErrorKind.Transient)]
    [InlineData(null, 502, ArmErrorKind.Transient)]
    [InlineData("", 422, ArmErrorKind.Fatal)]
    [InlineData("SomethingNew", 0, ArmErrorKind.Fatal)]
    public void Classify_Follows_The_Table_Then_The_Status(string? code, int status, ArmErrorKind expected)
    {
        Assert.Equal(expected, ArmErrorClassifier.Classify(code, status));
    }

    [Fact]
    public void Known_Code_Wins_Over_Status()
    {
        // 409 alone would be transient; SkuNotAvailable will not become available by retrying.
        Assert.Equal(ArmErrorKind.Fatal, ArmErrorClassifier.Classify("SkuNotAvailable", 409));
        // 404 alone would be fatal; a parent still being created is not.
        Assert.Equal(ArmErrorKind.Transient, ArmErrorClassifier.Classify("ParentResourceNotFound", 404));
        Assert.True(ArmErrorClassifier.IsKnown("conflict"));
        Assert.False(ArmErrorClassifier.IsKnown("SomethingNew"));
    }
}
